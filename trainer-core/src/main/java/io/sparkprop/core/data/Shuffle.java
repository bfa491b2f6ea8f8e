package io.sparkprop.core.data;

import io.sparkprop.core.tensor.Rng;

/**
 * Seeded permutations. The per-epoch order of a partition is a function of
 * (seed, epoch, partition) only, so a re-run with the same partitioning is bit-identical and the
 * single-JVM trainer (one partition, index 0) matches a one-partition Spark run.
 */
public final class Shuffle {
  private Shuffle() {
  }

  /** Fills {@code perm[0, n)} with a Fisher-Yates permutation of 0..n-1 drawn from {@code rng}. */
  public static void permutation(int[] perm, int n, Rng rng) {
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
  }

  /** The order of partition {@code partition} in {@code epoch}. */
  public static void epochPermutation(int[] perm, int n, long seed, int epoch, int partition) {
    permutation(perm, n, new Rng(Rng.mix(seed, 0xE90C, epoch, partition)));
  }
}
