package io.sparkprop.core.layer;

import io.sparkprop.core.tensor.Gemm;
import io.sparkprop.core.tensor.Gemms;
import java.util.Arrays;

/**
 * The maths of a {@link RecurrentLayer}, shared by the cells. Steps past the longest sample of
 * the batch are skipped. The input is copied time-major ({@code xt[t·B + r]}) so that one GEMM
 * projects every step at once, {@code Zx = Xt·W + b}, and each step adds the recurrent term
 * {@code h_{t−1}·U} with one GEMM over the batch. States {@code h_0..h_T} (and LSTM cells) are
 * kept time-major for the exact back-propagation through time, which collects the gate
 * gradients {@code dZ} of all steps and then forms {@code dW = Xtᵀ·dZx}, {@code dU = H_{0..T−1}ᵀ·dZh}
 * and {@code dXt = dZx·Wᵀ} with three GEMMs; only {@code dh_{t−1} = dZh_t·Uᵀ} runs per step.
 * With {@code reverse} each sample is read from its last real step back to its first
 * (Bidirectional's backward direction). Workspaces only grow.
 */
final class RecurrentModel implements LayerModel {
  private final Cell cell;
  private final int steps;
  private final int in;
  private final int h;
  private final int gh;
  private final boolean returnSequences;
  private final boolean reverse;
  private final int kernel;
  private final int recurrent;
  private final int inputBias;
  private final int recurrentBias;
  private final Gemm gemm = Gemms.best();
  private final float[] bias;
  private float[] xt = new float[0];
  private float[] zx = new float[0];
  private float[] zh = new float[0];
  private float[] hs = new float[0];
  private float[] cs = new float[0];
  private float[] dzx = new float[0];
  private float[] dzh = new float[0];
  private float[] dh = new float[0];
  private float[] dhNext = new float[0];
  private float[] dc = new float[0];
  private int capacity;
  private int used; // steps computed by the last forward pass

  RecurrentModel(Cell cell, int steps, int in, int units, boolean returnSequences, boolean reverse, int kernel,
                 int recurrent, int inputBias, int recurrentBias) {
    this.cell = cell;
    this.steps = steps;
    this.in = in;
    this.h = units;
    this.gh = cell.gates() * units;
    this.returnSequences = returnSequences;
    this.reverse = reverse;
    this.kernel = kernel;
    this.recurrent = recurrent;
    this.inputBias = inputBias;
    this.recurrentBias = recurrentBias;
    this.bias = new float[gh];
  }

  private void ensure(int batch) {
    if (batch <= capacity) {
      return;
    }
    int rows = batch * steps;
    xt = new float[rows * in];
    zx = new float[rows * gh];
    dzx = new float[rows * gh];
    if (cell.separateRecurrent()) {
      zh = new float[rows * gh];
      dzh = new float[rows * gh];
    } else {
      dzh = dzx;
    }
    hs = new float[(rows + batch) * h];
    if (cell.needsCellState()) {
      cs = new float[(rows + batch) * h];
    }
    dh = new float[batch * h];
    dhNext = new float[batch * h];
    dc = new float[batch * h];
    capacity = batch;
  }

  /** Position in the sample of time step t of a sample of length len (t < len). */
  private int position(int t, int len) {
    return reverse ? len - 1 - t : t;
  }

  private static int length(int[] lengths, int r, int steps) {
    return lengths == null ? steps : lengths[r];
  }

  @Override
  public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
    ensure(batch);
    int[] lengths = pass.lengths();
    int tb = 0;
    for (int r = 0; r < batch; r++) {
      tb = Math.max(tb, length(lengths, r, steps));
    }
    used = tb;
    for (int t = 0; t < tb; t++) {
      for (int r = 0; r < batch; r++) {
        int len = length(lengths, r, steps);
        int p = t < len ? position(t, len) : t;
        System.arraycopy(x, (r * steps + p) * in, xt, (t * batch + r) * in, in);
      }
    }
    // Zx = Xt·W + b_in (+ b_rec unless the cell keeps the recurrent term apart)
    boolean apart = cell.separateRecurrent();
    for (int j = 0; j < gh; j++) {
      bias[j] = params[inputBias + j] + (apart ? 0f : params[recurrentBias + j]);
    }
    for (int row = 0; row < tb * batch; row++) {
      System.arraycopy(bias, 0, zx, row * gh, gh);
    }
    Gemm g = pass.gemm();
    g.gemm(false, false, tb * batch, gh, in, 1f, xt, 0, params, kernel, 1f, zx, 0);
    Arrays.fill(hs, 0, batch * h, 0f);
    if (cell.needsCellState()) {
      Arrays.fill(cs, 0, batch * h, 0f);
    }
    for (int t = 0; t < tb; t++) {
      int z = t * batch * gh;
      int prev = t * batch * h;
      if (apart) {
        for (int r = 0; r < batch; r++) {
          System.arraycopy(params, recurrentBias, zh, z + r * gh, gh);
        }
        g.gemm(false, false, batch, gh, h, 1f, hs, prev, params, recurrent, 1f, zh, z);
      } else {
        g.gemm(false, false, batch, gh, h, 1f, hs, prev, params, recurrent, 1f, zx, z);
      }
      cell.forward(batch, h, lengths, steps, t, zx, zh, z, hs, cs, prev, prev + batch * h);
    }
    writeOutput(y, batch, lengths, tb);
  }

  private void writeOutput(float[] y, int batch, int[] lengths, int tb) {
    if (!returnSequences) {
      System.arraycopy(hs, tb * batch * h, y, 0, batch * h); // padded steps carried the last real state
      return;
    }
    Arrays.fill(y, 0, batch * steps * h, 0f);
    for (int r = 0; r < batch; r++) {
      int len = length(lengths, r, steps);
      for (int t = 0; t < len; t++) {
        System.arraycopy(hs, ((t + 1) * batch + r) * h, y, (r * steps + position(t, len)) * h, h);
      }
    }
  }

  @Override
  public void backward(Backward b) {
    float[] params = b.params();
    float[] dy = b.outputGrad();
    float[] grads = b.paramGrads();
    int batch = b.batch();
    int[] lengths = b.pass().lengths();
    int tb = used;
    if (returnSequences) {
      Arrays.fill(dh, 0, batch * h, 0f);
    } else {
      System.arraycopy(dy, 0, dh, 0, batch * h);
    }
    Arrays.fill(dc, 0, batch * h, 0f);
    for (int t = tb - 1; t >= 0; t--) {
      if (returnSequences) {
        for (int r = 0; r < batch; r++) {
          int len = length(lengths, r, steps);
          if (t < len) {
            int o = (r * steps + position(t, len)) * h;
            for (int j = 0; j < h; j++) {
              dh[r * h + j] += dy[o + j];
            }
          }
        }
      }
      int z = t * batch * gh;
      int prev = t * batch * h;
      cell.backward(batch, h, lengths, steps, t, zx, zh, z, hs, cs, prev, prev + batch * h, dzx, dzh, dh, dc,
          dhNext);
      // dh_{t−1} = (direct term from the cell) + dZh_t·Uᵀ
      gemm.gemm(false, true, batch, h, gh, 1f, dzh, z, params, recurrent, 1f, dhNext, 0);
      float[] swap = dh;
      dh = dhNext;
      dhNext = swap;
    }
    int rows = tb * batch;
    gemm.gemm(true, false, in, gh, rows, 1f, xt, 0, dzx, 0, 1f, grads, kernel);
    gemm.gemm(true, false, h, gh, rows, 1f, hs, 0, dzh, 0, 1f, grads, recurrent);
    for (int row = 0; row < rows; row++) {
      int o = row * gh;
      for (int j = 0; j < gh; j++) {
        grads[inputBias + j] += dzx[o + j];
        grads[recurrentBias + j] += dzh[o + j];
      }
    }
    float[] dx = b.inputGrad();
    if (dx != null) {
      // dXt = dZx·Wᵀ into xt (no longer needed), then back to [batch, T, F]; padded steps get 0
      gemm.gemm(false, true, rows, in, gh, 1f, dzx, 0, params, kernel, 0f, xt, 0);
      Arrays.fill(dx, 0, batch * steps * in, 0f);
      for (int r = 0; r < batch; r++) {
        int len = length(lengths, r, steps);
        for (int t = 0; t < len; t++) {
          System.arraycopy(xt, (t * batch + r) * in, dx, (r * steps + position(t, len)) * in, in);
        }
      }
    }
  }

  /**
   * One cell's equations on step t of a batch. Gate pre-activations arrive in {@code zx} (and
   * {@code zh}, the recurrent part, when {@link #separateRecurrent}); forward overwrites them with
   * what backward needs. A padded row copies its previous state; backward gives it zero gate
   * gradients and passes {@code dh} (and {@code dc}) straight through.
   */
  abstract static class Cell {
    /** Number of gate blocks G. */
    abstract int gates();

    /** True when the recurrent term h·U + b_rec is kept apart from x·W + b_in (GRU). */
    boolean separateRecurrent() {
      return false;
    }

    /** True when the cell has a cell state c (LSTM). */
    boolean needsCellState() {
      return false;
    }

    /** h_t (at {@code cur}) from the gates at {@code z} and h_{t−1} (at {@code prev}). */
    abstract void forward(int batch, int h, int[] lengths, int steps, int t, float[] zx, float[] zh, int z,
                          float[] hs, float[] cs, int prev, int cur);

    /**
     * From dh = ∂L/∂h_t (and dc): writes the gate gradients dzx (and dzh) of step t, updates dc to
     * ∂L/∂c_{t−1} and writes into dhNext the part of ∂L/∂h_{t−1} that does not pass through U.
     */
    abstract void backward(int batch, int h, int[] lengths, int steps, int t, float[] zx, float[] zh, int z,
                           float[] hs, float[] cs, int prev, int cur, float[] dzx, float[] dzh, float[] dh,
                           float[] dc, float[] dhNext);

    static boolean real(int[] lengths, int steps, int r, int t) {
      return t < (lengths == null ? steps : lengths[r]);
    }

    static float sigmoid(float v) {
      return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    /** tanh v = 1 − 2/(e^{2v} + 1): one intrinsic exp instead of the slower Math.tanh. */
    static float tanh(float v) {
      return (float) (1.0 - 2.0 / (Math.exp(2.0 * v) + 1.0));
    }
  }
}
