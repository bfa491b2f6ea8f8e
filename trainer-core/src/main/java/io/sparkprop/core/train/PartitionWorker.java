package io.sparkprop.core.train;

import io.sparkprop.core.data.SampleStore;
import io.sparkprop.core.data.Shuffle;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.model.SparseRows;
import io.sparkprop.core.tensor.Rng;

/**
 * Computes one partition's share of a training step. In each epoch the partition's samples are
 * permuted with a seed derived from (seed, epoch, partition), and step {@code s} of {@code S}
 * takes the slice {@code [⌊s·n/S⌋, ⌊(s+1)·n/S⌋)} of that order ({@link #sliceStart}), so every
 * sample is used exactly once per epoch whatever the partition sizes. Workspaces (network
 * buffers, the gathered batch) are allocated once and only grow. Token ids and sequence lengths
 * are gathered as ints next to the floats and reach the layers through the network's pass.
 * Samples are read one row at a time from a {@link SampleStore} (in memory, or memory-mapped
 * files on a Spark executor), so a step touches only the rows of its slice.
 */
public final class PartitionWorker {
  /** Samples per inference batch when evaluating (fixed, so local and Spark sums agree). */
  public static final int EVAL_BATCH = 1024;
  private final Network network;
  private final Loss loss;
  private final SampleStore data;
  private final int partition;
  private final long seed;
  private final int[] perm;
  private final SparseRows tables;
  private int permEpoch = -1;
  private float[] x = new float[0];
  private float[] y = new float[0];
  private int[] ids;
  private int[] lengths;
  private float[] w;

  public PartitionWorker(Sequential architecture, Loss loss, SampleStore data, int partition, long seed) {
    this.network = architecture.network();
    this.loss = loss;
    this.data = data;
    this.partition = partition;
    this.seed = seed;
    this.perm = new int[data.size()];
    this.tables = SparseRows.of(architecture);
  }

  /** First index of step {@code step}'s slice of {@code n} samples split into {@code steps}. */
  public static int sliceStart(int n, int step, int steps) {
    return (int) ((long) step * n / steps);
  }

  /** Number of steps in an epoch of {@code size} samples at global batch size {@code batch}. */
  public static int stepsPerEpoch(long size, int batch) {
    return (int) Math.max(1, (size + batch - 1) / batch);
  }

  /** This partition's data. */
  public SampleStore data() {
    return data;
  }

  /**
   * Adds Σ ∂loss/∂θ over this partition's slice of the step into {@code grad} (not zeroed here)
   * and returns the loss sums; {@link LossSums#ZERO} when the slice is empty.
   */
  public LossSums accumulate(float[] params, int epoch, int step, int steps, float[] grad) {
    return accumulate(params, epoch, step, steps, grad, null);
  }

  /**
   * As above; the embedding rows added into are also marked in {@code rows} (may be null), a
   * record made for this network ({@link #sparseRows()}).
   */
  public LossSums accumulate(float[] params, int epoch, int step, int steps, float[] grad, SparseRows rows) {
    int n = data.size();
    int from = sliceStart(n, step, steps);
    int to = sliceStart(n, step + 1, steps);
    int b = to - from;
    if (b == 0) {
      return LossSums.ZERO;
    }
    if (permEpoch != epoch) {
      Shuffle.epochPermutation(perm, n, seed, epoch, partition);
      permEpoch = epoch;
    }
    gather(from, to);
    long stepSeed = Rng.mix(seed, 0xD809, epoch, step, partition);
    return network.trainBatch(params, x, ids, lengths, y, data.isWeighted() ? w : null, data.labelWidth(), b,
        loss, stepSeed, grad, rows);
  }

  /** A new record of touched embedding rows for this network's gradient, or null when it has no embedding. */
  public SparseRows sparseRows() {
    return tables == null ? null : tables.copyLayout();
  }

  /** Loss sums of {@code params} over all of this partition's samples (inference mode). */
  public LossSums evaluate(float[] params) {
    return evaluate(params, null);
  }

  /** As {@link #evaluate(float[])}, adding the outputs to {@code metrics} too (may be null). */
  public LossSums evaluate(float[] params, io.sparkprop.core.metrics.MetricSums metrics) {
    int batch = EVAL_BATCH;
    LossSums total = LossSums.ZERO;
    int lw = data.labelWidth();
    for (int from = 0; from < data.size(); from += batch) {
      int b = Math.min(batch, data.size() - from);
      ensure(b);
      for (int k = 0; k < b; k++) {
        data.copySample(from + k, k, x, ids, lengths, y, w);
      }
      total = total.plus(network.evaluateBatch(params, x, ids, lengths, y, lw, b, loss, metrics));
    }
    return total;
  }

  private void gather(int from, int to) {
    ensure(to - from);
    for (int i = from; i < to; i++) {
      data.copySample(perm[i], i - from, x, ids, lengths, y, w);
    }
  }

  private void ensure(int b) {
    if (data.isTokens() && (ids == null || ids.length < b * data.featureSize())) {
      ids = new int[b * data.featureSize()];
    }
    if (data.hasLengths() && (lengths == null || lengths.length < b)) {
      lengths = new int[b];
    }
    if (!data.isTokens() && x.length < b * data.featureSize()) {
      x = new float[b * data.featureSize()];
    }
    if (y.length < b * data.labelWidth()) {
      y = new float[b * data.labelWidth()];
    }
    if (data.isWeighted() && (w == null || w.length < b)) {
      w = new float[b];
    }
  }
}
