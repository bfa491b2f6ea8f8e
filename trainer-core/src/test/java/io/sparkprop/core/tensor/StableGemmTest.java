package io.sparkprop.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link StableGemm} bit for bit: every element equals the explicit sequential sum
 * {@code s = 0; s += a[i,p]·b[p,j] for p = 0..k-1; c = alpha·s + beta·c} (odd shapes, k across
 * panel boundaries, all four transpose combinations, alpha and beta not 1), and a row of op(A)
 * gives the same bits alone, in any block and at any position, through one reused instance. Both
 * paths: the Vector API one (the tests' JVM has the module) and the plain-Java one. (Agreement
 * with a float64 reference is in {@link GemmBackendsTest}.)
 */
class StableGemmTest {
  private static final int[] DIMS = {1, 3, 17, 255};
  private static final int[] KS = {1, 2, 3, 17, 255, StableGemm.KB, StableGemm.KB + 1, 784};

  private static float[] random(Rng rng, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return v;
  }

  /** The defining sum, one element at a time. */
  private static float element(boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b, int i, int j) {
    float s = 0f;
    for (int p = 0; p < k; p++) {
      float x = ta ? a[p * m + i] : a[i * k + p];
      float y = tb ? b[j * k + p] : b[p * n + j];
      s += x * y;
    }
    return s;
  }

  @Test
  void theTestsRunTheVectorApiPath() {
    assertThat(StableGemm.VECTOR_API).isTrue();
    assertThat(new StableGemm().name()).contains("Vector API");
    assertThat(new StableGemm(false).name()).contains("plain Java");
  }

  @Test
  void everyElementIsTheSequentialSumInOrderOfK() {
    sequentialSums(new StableGemm());
    sequentialSums(new StableGemm(false));
  }

  private static void sequentialSums(StableGemm g) {
    Rng rng = new Rng(11);
    for (int m : DIMS) {
      for (int n : DIMS) {
        for (int k : KS) {
          float[] a = random(rng, m * k);
          float[] b = random(rng, k * n);
          float[] c0 = random(rng, m * n);
          for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0;
            boolean tb = (t & 2) != 0;
            float alpha = t == 3 ? 0.37f : 1f;
            float beta = t == 0 ? 0f : (t == 1 ? 1f : -0.6f);
            float[] c = c0.clone();
            g.gemm(ta, tb, m, n, k, alpha, a, 0, b, 0, beta, c, 0);
            for (int i = 0; i < m; i++) {
              for (int j = 0; j < n; j++) {
                float s = element(ta, tb, m, n, k, a, b, i, j);
                float want = beta == 0f ? alpha * s : alpha * s + beta * c0[i * n + j];
                if (Float.floatToIntBits(c[i * n + j]) != Float.floatToIntBits(want)) {
                  throw new AssertionError(g.name() + ": m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb
                      + " at (" + i + ", " + j + "): " + c[i * n + j] + " != " + want);
                }
              }
            }
          }
        }
      }
    }
  }

  @Test
  void aRowHasTheSameBitsAloneAndAtAnyPositionOfAnyBlock() {
    float[] vector = rowsAloneAndInBlocks(new StableGemm());
    assertThat(rowsAloneAndInBlocks(new StableGemm(false))).isEqualTo(vector);
  }

  /** A [1024, 784]·[784, 256] product, checked row by row and block by block; returns it. */
  private static float[] rowsAloneAndInBlocks(StableGemm g) {
    Rng rng = new Rng(12);
    int k = 784;
    int n = 256;
    int m = 1024;
    float[] a = random(rng, m * k);
    float[] w = random(rng, k * n);
    float[] all = new float[m * n];
    g.gemm(false, false, m, n, k, 1f, a, 0, w, 0, 0f, all, 0);
    float[] one = new float[n];
    for (int i = 0; i < m; i += 37) {
      g.gemm(false, false, 1, n, k, 1f, a, i * k, w, 0, 0f, one, 0);
      assertThat(one).as("row %d alone", i).isEqualTo(Arrays.copyOfRange(all, i * n, (i + 1) * n));
    }
    for (int block : new int[] {3, 7, 100}) {
      float[] c = new float[m * n];
      for (int from = 0; from < m; from += block) {
        int rows = Math.min(block, m - from);
        g.gemm(false, false, rows, n, k, 1f, a, from * k, w, 0, 0f, c, from * n);
      }
      assertThat(c).as("blocks of %d", block).isEqualTo(all);
    }
    return all;
  }
}
