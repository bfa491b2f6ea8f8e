package io.sparkprop.core.train;

import io.sparkprop.core.data.DataSet;
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
 */
public final class PartitionWorker {
  /** Samples per inference batch when evaluating (fixed, so local and Spark sums agree). */
  public static final int EVAL_BATCH = 1024;
  private final Network network;
  private final Loss loss;
  private final DataSet data;
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

  public PartitionWorker(Sequential architecture, Loss loss, DataSet data, int partition, long seed) {
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
  public DataSet data() {
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
    return network.trainBatch(params, x, ids, lengths, y, data.weights() == null ? null : w, data.labelWidth(), b,
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
    int f = data.featureSize();
    int lw = data.labelWidth();
    for (int from = 0; from < data.size(); from += batch) {
      int b = Math.min(batch, data.size() - from);
      ensure(b);
      if (data.isTokens()) {
        System.arraycopy(data.tokens(), from * f, ids, 0, b * f);
      } else {
        System.arraycopy(data.features(), from * f, x, 0, b * f);
      }
      if (lengths != null) {
        System.arraycopy(data.lengths(), from, lengths, 0, b);
      }
      System.arraycopy(data.labels(), from * lw, y, 0, b * lw);
      total = total.plus(network.evaluateBatch(params, x, ids, lengths, y, lw, b, loss, metrics));
    }
    return total;
  }

  private void gather(int from, int to) {
    int f = data.featureSize();
    int lw = data.labelWidth();
    ensure(to - from);
    float[] fx = data.features();
    float[] fy = data.labels();
    int[] tokens = data.tokens();
    int[] lens = data.lengths();
    float[] fw = data.weights();
    for (int i = from; i < to; i++) {
      int src = perm[i];
      if (tokens != null) {
        System.arraycopy(tokens, src * f, ids, (i - from) * f, f);
      } else {
        System.arraycopy(fx, src * f, x, (i - from) * f, f);
      }
      if (lens != null) {
        lengths[i - from] = lens[src];
      }
      System.arraycopy(fy, src * lw, y, (i - from) * lw, lw);
      if (fw != null) {
        w[i - from] = fw[src];
      }
    }
  }

  private void ensure(int b) {
    if (data.isTokens() && (ids == null || ids.length < b * data.featureSize())) {
      ids = new int[b * data.featureSize()];
    }
    if (data.lengths() != null && (lengths == null || lengths.length < b)) {
      lengths = new int[b];
    }
    if (!data.isTokens() && x.length < b * data.featureSize()) {
      x = new float[b * data.featureSize()];
    }
    if (y.length < b * data.labelWidth()) {
      y = new float[b * data.labelWidth()];
    }
    if (data.weights() != null && (w == null || w.length < b)) {
      w = new float[b];
    }
  }
}
