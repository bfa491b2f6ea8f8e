package io.sparkprop.core.layer;

/**
 * The maths of {@link TransformerEncoder}, composed of the models of its parts on shared
 * parameter offsets. Residual sums back-propagate by adding into the same gradient buffer
 * ({@code addDx}); dropout masks of the last training forward pass are kept. Post-norm backward:
 *
 * <pre>
 * ds2 = LN2'(dy);  dh = ds2 + FF'(ds2 ⊙ m2);  ds1 = LN1'(dh);  dx = ds1 + MHA'(ds1 ⊙ m1)
 * </pre>
 *
 * pre-norm: {@code ds1 = dy + LN2'(FF'(dy ⊙ m2))}, {@code dx = ds1 + LN1'(MHA'(ds1 ⊙ m1))}.
 * Every workspace only grows.
 */
final class TransformerEncoderModel implements LayerModel {
  private final int steps;
  private final int width;
  private final int hidden;
  private final boolean normFirst;
  private final float rate;
  private final AttentionModel attn;
  private final DenseModel ff1;
  private final DenseModel ff2;
  private final ElementwiseModel act;
  private final LayerNormModel ln1;
  private final LayerNormModel ln2;
  private int capacity;
  private float[] a;
  private float[] s1;
  private float[] h1;
  private float[] s2;
  private float[] f;
  private float[] m1;
  private float[] m2;
  private float[] g1;
  private float[] g2;
  private float[] g3;
  private float[] z;
  private float[] u;
  private float[] ud;
  private float[] mh;
  private float[] dud;
  private float[] dz;

  TransformerEncoderModel(int steps, int width, int hidden, boolean normFirst, float rate, AttentionModel attn,
                          DenseModel ff1, DenseModel ff2, ElementwiseModel act, LayerNormModel ln1,
                          LayerNormModel ln2) {
    this.steps = steps;
    this.width = width;
    this.hidden = hidden;
    this.normFirst = normFirst;
    this.rate = rate;
    this.attn = attn;
    this.ff1 = ff1;
    this.ff2 = ff2;
    this.act = act;
    this.ln1 = ln1;
    this.ln2 = ln2;
  }

  private void ensure(int batch) {
    if (batch <= capacity) {
      return;
    }
    int n = batch * steps * width;
    int nh = batch * steps * hidden;
    a = new float[n];
    s1 = new float[n];
    h1 = new float[n];
    s2 = new float[n];
    f = new float[n];
    m1 = new float[n];
    m2 = new float[n];
    g1 = new float[n];
    g2 = new float[n];
    g3 = new float[n];
    z = new float[nh];
    u = new float[nh];
    ud = new float[nh];
    mh = new float[nh];
    dud = new float[nh];
    dz = new float[nh];
    capacity = batch;
  }

  @Override
  public void forward(float[] p, float[] x, float[] y, int batch, Pass pass) {
    ensure(batch);
    int[] len = pass.lengths();
    int rows = batch * steps;
    int n = rows * width;
    boolean drop = pass.training() && rate > 0f;
    if (drop) {
      fillMask(m1, n, pass);
      fillMask(mh, rows * hidden, pass);
      fillMask(m2, n, pass);
    }
    if (normFirst) {
      ln1.forward(p, x, h1, batch, len);
      attn.forward(pass.gemm(), p, h1, a, batch, len);
    } else {
      attn.forward(pass.gemm(), p, x, a, batch, len);
    }
    for (int i = 0; i < n; i++) {
      s1[i] = x[i] + (drop ? a[i] * m1[i] : a[i]);
    }
    float[] ffIn = normFirst ? s2 : h1;
    normBeforeFeedForward(p, batch, len);
    ff1.forward(p, ffIn, z, rows, pass);
    act.apply(z, u, rows * hidden);
    int nh = rows * hidden;
    for (int i = 0; i < nh; i++) {
      ud[i] = drop ? u[i] * mh[i] : u[i];
    }
    ff2.forward(p, ud, f, rows, pass);
    if (normFirst) {
      for (int i = 0; i < n; i++) {
        y[i] = s1[i] + (drop ? f[i] * m2[i] : f[i]);
      }
      SequenceMask.zeroPadded(y, batch, steps, width, len);
    } else {
      for (int i = 0; i < n; i++) {
        s2[i] = h1[i] + (drop ? f[i] * m2[i] : f[i]);
      }
      ln2.forward(p, s2, y, batch, len);
    }
  }

  /** The norm before the feed-forward: LN1(s1) into h1 (post-norm) or LN2(s1) into s2 (pre-norm). */
  private void normBeforeFeedForward(float[] p, int batch, int[] len) {
    if (normFirst) {
      ln2.forward(p, s1, s2, batch, len);
    } else {
      ln1.forward(p, s1, h1, batch, len);
    }
  }

  @Override
  public void backward(Backward b) {
    float[] p = b.params();
    float[] x = b.input();
    float[] dy = b.outputGrad();
    float[] dx = b.inputGrad();
    float[] g = b.paramGrads();
    int batch = b.batch();
    int[] len = b.pass().lengths();
    boolean drop = b.pass().training() && rate > 0f;
    int rows = batch * steps;
    int n = rows * width;
    float[] ds1 = g1;
    if (normFirst) {
      System.arraycopy(dy, 0, ds1, 0, n);
      SequenceMask.zeroPadded(ds1, batch, steps, width, len);
      feedForwardBack(p, ds1, s2, g3, g, rows, drop, false);
      ln2.backward(p, s1, g3, ds1, g, batch, len, true);
    } else {
      float[] ds2 = g1;
      ln2.backward(p, s2, dy, ds2, g, batch, len, false);
      System.arraycopy(ds2, 0, g3, 0, n);
      feedForwardBack(p, ds2, h1, g3, g, rows, drop, true);
      ln1.backward(p, s1, g3, ds1, g, batch, len, false);
    }
    for (int i = 0; i < n; i++) {
      g2[i] = drop ? ds1[i] * m1[i] : ds1[i];
    }
    if (normFirst) {
      attn.backward(p, h1, g2, g3, g, batch, len, false);
      if (dx != null) {
        System.arraycopy(ds1, 0, dx, 0, n);
      }
      ln1.backward(p, x, g3, dx, g, batch, len, true);
    } else {
      if (dx != null) {
        System.arraycopy(ds1, 0, dx, 0, n);
      }
      attn.backward(p, x, g2, dx, g, batch, len, true);
    }
  }

  /** Feed-forward backward from {@code dOut} (before dropout) on input {@code in}: dIn (+)= FF'. */
  private void feedForwardBack(float[] p, float[] dOut, float[] in, float[] dIn, float[] g, int rows,
                               boolean drop, boolean addDx) {
    int n = rows * width;
    for (int i = 0; i < n; i++) {
      g2[i] = drop ? dOut[i] * m2[i] : dOut[i];
    }
    ff2.backward(p, ud, g2, dud, g, rows, false);
    int nh = rows * hidden;
    if (drop) {
      for (int i = 0; i < nh; i++) {
        dud[i] *= mh[i];
      }
    }
    act.derive(z, u, dud, dz, nh);
    ff1.backward(p, in, dz, dIn, g, rows, addDx);
  }

  /** Inverted-dropout mask: 0 with probability rate, 1/(1 − rate) otherwise. */
  private void fillMask(float[] m, int n, Pass pass) {
    float scale = 1f / (1f - rate);
    for (int i = 0; i < n; i++) {
      m[i] = pass.rng().nextFloat() < rate ? 0f : scale;
    }
  }
}
