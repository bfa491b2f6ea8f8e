package io.sparkprop.core.layer;

import io.sparkprop.core.tensor.Gemm;
import io.sparkprop.core.tensor.Gemms;

/**
 * The maths of {@link MultiHeadAttention}. The projections are one GEMM each over all
 * {@code batch·T} rows; Q, K and V are then regrouped head-major ({@code [batch, heads, T, d]}) so
 * that each (sample, head) is a contiguous {@code [L, d]} block, L the sample's real length, and
 * the scores {@code S = Q_h·K_hᵀ/sqrt(d)} are one {@code [L, L]} GEMM: padded keys and queries
 * are left out rather than masked. With {@code A = softmax(S)} row-wise and {@code C = A·V}:
 *
 * <pre>
 * dA = dC·Vᵀ,  dV = Aᵀ·dC,  dS = A ⊙ (dA − rowsum(dA ⊙ A)),
 * dQ = dS·K/sqrt(d),  dK = dSᵀ·Q/sqrt(d)
 * </pre>
 *
 * and the projections back-propagate as {@link DenseModel}. The attention weights of the last
 * forward pass are kept ({@code batch·heads·T²} floats); every workspace only grows. Backward
 * reuses the forward workspaces for the gradients, so it runs once per forward pass.
 */
final class AttentionModel implements LayerModel {
  private static final int QK = 0;
  private static final int QB = 1;
  private static final int KK = 2;
  private static final int KB = 3;
  private static final int VK = 4;
  private static final int VB = 5;
  private static final int OK = 6;
  private static final int OB = 7;

  private final int steps;
  private final int width;
  private final int heads;
  private final int dim;
  private final float scale;
  private final int[] off;
  private final Gemm gemm = Gemms.best();
  private int capacity;
  private float[] q = new float[0];
  private float[] k = new float[0];
  private float[] v = new float[0];
  private float[] qh = new float[0];
  private float[] kh = new float[0];
  private float[] vh = new float[0];
  private float[] ch = new float[0];
  private float[] ctx = new float[0];
  private float[] probs = new float[0];
  private float[] dA = new float[0];

  AttentionModel(int steps, int width, int heads, int[] offsets) {
    this.steps = steps;
    this.width = width;
    this.heads = heads;
    this.dim = width / heads;
    this.scale = (float) (1.0 / Math.sqrt(dim));
    this.off = offsets.clone();
  }

  private void ensure(int batch) {
    if (batch <= capacity) {
      return;
    }
    int n = batch * steps * width;
    q = new float[n];
    k = new float[n];
    v = new float[n];
    qh = new float[n];
    kh = new float[n];
    vh = new float[n];
    ch = new float[n];
    ctx = new float[n];
    probs = new float[batch * heads * steps * steps];
    dA = new float[steps * steps];
    capacity = batch;
  }

  @Override
  public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
    forward(pass.gemm(), params, x, y, batch, pass.lengths());
  }

  @Override
  public void backward(Backward b) {
    backward(b.params(), b.input(), b.outputGrad(), b.inputGrad(), b.paramGrads(), b.batch(),
        b.pass().lengths(), false);
  }

  /** y = attention(x) for {@code batch} sequences through {@code g}; lengths may be null (all real). */
  void forward(Gemm g, float[] params, float[] x, float[] y, int batch, int[] lengths) {
    ensure(batch);
    int rows = batch * steps;
    project(g, params, x, rows, off[QK], off[QB], q);
    project(g, params, x, rows, off[KK], off[KB], k);
    project(g, params, x, rows, off[VK], off[VB], v);
    split(q, qh, batch, lengths);
    split(k, kh, batch, lengths);
    split(v, vh, batch, lengths);
    int block = steps * dim;
    int square = steps * steps;
    for (int r = 0; r < batch; r++) {
      int len = SequenceMask.length(lengths, r, steps);
      if (len == 0) {
        continue;
      }
      for (int h = 0; h < heads; h++) {
        int base = (r * heads + h) * block;
        int p = (r * heads + h) * square;
        g.gemm(false, true, len, len, dim, scale, qh, base, kh, base, 0f, probs, p);
        softmaxRows(probs, p, len);
        g.gemm(false, false, len, dim, len, 1f, probs, p, vh, base, 0f, ch, base);
      }
    }
    merge(ch, ctx, batch, lengths);
    project(g, params, ctx, rows, off[OK], off[OB], y);
    SequenceMask.zeroPadded(y, batch, steps, width, lengths);
  }

  /**
   * Backward of the last forward pass: adds the parameter gradients into {@code grads} (padded
   * rows of dy are ignored) and writes dx (adds into it when {@code addDx}) unless dx is null.
   */
  void backward(float[] params, float[] x, float[] dy, float[] dx, float[] grads, int batch, int[] lengths,
                boolean addDx) {
    int rows = batch * steps;
    int e = width;
    // output projection; ctx is zero on padded rows, so they add nothing to dWo
    gemm.gemm(true, false, e, e, rows, 1f, ctx, 0, dy, 0, 1f, grads, off[OK]);
    addRealRows(dy, grads, off[OB], batch, lengths);
    gemm.gemm(false, true, rows, e, e, 1f, dy, 0, params, off[OK], 0f, ctx, 0); // ctx := dCtx
    split(ctx, ch, batch, lengths); // ch := dC head-major
    int block = steps * dim;
    int square = steps * steps;
    for (int r = 0; r < batch; r++) {
      int len = SequenceMask.length(lengths, r, steps);
      if (len == 0) {
        continue;
      }
      for (int h = 0; h < heads; h++) {
        int base = (r * heads + h) * block;
        int p = (r * heads + h) * square;
        gemm.gemm(false, true, len, len, dim, 1f, ch, base, vh, base, 0f, dA, 0);
        gemm.gemm(true, false, len, dim, len, 1f, probs, p, ch, base, 0f, vh, base); // vh := dV
        softmaxBackward(probs, p, dA, len);
        gemm.gemm(false, false, len, dim, len, scale, dA, 0, kh, base, 0f, ch, base); // ch := dQ
        gemm.gemm(true, false, len, dim, len, scale, dA, 0, qh, base, 0f, kh, base); // kh := dK
      }
    }
    merge(ch, q, batch, lengths);
    merge(kh, k, batch, lengths);
    merge(vh, v, batch, lengths);
    projectBack(params, x, q, dx, grads, rows, off[QK], off[QB], addDx);
    projectBack(params, x, k, dx, grads, rows, off[KK], off[KB], true);
    projectBack(params, x, v, dx, grads, rows, off[VK], off[VB], true);
  }

  /** out[rows, E] = in·W + b. */
  private void project(Gemm g, float[] params, float[] in, int rows, int kernel, int bias, float[] out) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(params, bias, out, r * width, width);
    }
    g.gemm(false, false, rows, width, width, 1f, in, 0, params, kernel, 1f, out, 0);
  }

  /** dW += xᵀ·d, db += Σ d, dx (+)= d·Wᵀ; d is zero on padded rows. */
  private void projectBack(float[] params, float[] x, float[] d, float[] dx, float[] grads, int rows,
                           int kernel, int bias, boolean addDx) {
    gemm.gemm(true, false, width, width, rows, 1f, x, 0, d, 0, 1f, grads, kernel);
    for (int r = 0; r < rows; r++) {
      int o = r * width;
      for (int j = 0; j < width; j++) {
        grads[bias + j] += d[o + j];
      }
    }
    if (dx != null) {
      gemm.gemm(false, true, rows, width, width, 1f, d, 0, params, kernel, addDx ? 1f : 0f, dx, 0);
    }
  }

  private void addRealRows(float[] d, float[] grads, int bias, int batch, int[] lengths) {
    for (int r = 0; r < batch; r++) {
      int len = SequenceMask.length(lengths, r, steps);
      for (int t = 0; t < len; t++) {
        int o = (r * steps + t) * width;
        for (int j = 0; j < width; j++) {
          grads[bias + j] += d[o + j];
        }
      }
    }
  }

  /** Row-major [batch, T, E] to head-major [batch, heads, T, d], real rows only. */
  private void split(float[] src, float[] dst, int batch, int[] lengths) {
    for (int r = 0; r < batch; r++) {
      int len = SequenceMask.length(lengths, r, steps);
      for (int t = 0; t < len; t++) {
        int s = (r * steps + t) * width;
        for (int h = 0; h < heads; h++) {
          System.arraycopy(src, s + h * dim, dst, ((r * heads + h) * steps + t) * dim, dim);
        }
      }
    }
  }

  /** Head-major back to row-major, padded rows zero. */
  private void merge(float[] src, float[] dst, int batch, int[] lengths) {
    for (int r = 0; r < batch; r++) {
      int len = SequenceMask.length(lengths, r, steps);
      for (int t = 0; t < len; t++) {
        int d = (r * steps + t) * width;
        for (int h = 0; h < heads; h++) {
          System.arraycopy(src, ((r * heads + h) * steps + t) * dim, dst, d + h * dim, dim);
        }
      }
    }
    SequenceMask.zeroPadded(dst, batch, steps, width, lengths);
  }

  /** Softmax of each row of the packed [len, len] block at {@code p}, in place. */
  private static void softmaxRows(float[] a, int p, int len) {
    for (int i = 0; i < len; i++) {
      int o = p + i * len;
      float max = a[o];
      for (int j = 1; j < len; j++) {
        max = Math.max(max, a[o + j]);
      }
      double sum = 0;
      for (int j = 0; j < len; j++) {
        float ex = (float) Math.exp(a[o + j] - max);
        a[o + j] = ex;
        sum += ex;
      }
      float inv = (float) (1.0 / sum);
      for (int j = 0; j < len; j++) {
        a[o + j] *= inv;
      }
    }
  }

  /** dS = A ⊙ (dA − rowsum(dA ⊙ A)), written over dA. */
  private static void softmaxBackward(float[] a, int p, float[] d, int len) {
    for (int i = 0; i < len; i++) {
      int o = i * len;
      double dot = 0;
      for (int j = 0; j < len; j++) {
        dot += d[o + j] * a[p + o + j];
      }
      float dt = (float) dot;
      for (int j = 0; j < len; j++) {
        d[o + j] = a[p + o + j] * (d[o + j] - dt);
      }
    }
  }
}
