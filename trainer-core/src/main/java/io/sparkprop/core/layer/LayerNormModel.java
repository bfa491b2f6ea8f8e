package io.sparkprop.core.layer;

/**
 * The maths of {@link LayerNormalization} on {@code rows} rows of {@code F} values per sample.
 * With {@code x̂ = (x − μ)·r}, {@code r = 1/sqrt(σ² + ε)} per row and {@code g = γ ⊙ dy}:
 *
 * <pre>
 * dγ += Σ_rows dy ⊙ x̂     dβ += Σ_rows dy
 * dx  = r·(g − mean(g) − x̂·mean(g ⊙ x̂))
 * </pre>
 *
 * Row statistics of the last forward pass are kept for backward (workspaces only grow). When
 * {@code masked}, rows are time steps and padded ones are zero in both directions.
 */
final class LayerNormModel implements LayerModel {
  private final int rows;
  private final int features;
  private final boolean masked;
  private final float eps;
  private final int gamma;
  private final int beta;
  private float[] mean = new float[0];
  private float[] inv = new float[0];

  LayerNormModel(int rows, int features, boolean masked, float eps, int gamma, int beta) {
    this.rows = rows;
    this.features = features;
    this.masked = masked;
    this.eps = eps;
    this.gamma = gamma;
    this.beta = beta;
  }

  @Override
  public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
    forward(params, x, y, batch, pass.lengths());
  }

  @Override
  public void backward(Backward b) {
    backward(b.params(), b.input(), b.outputGrad(), b.inputGrad(), b.paramGrads(), b.batch(),
        b.pass().lengths(), false);
  }

  /** y = LN(x) over {@code batch} samples; lengths may be null. */
  void forward(float[] params, float[] x, float[] y, int batch, int[] lengths) {
    int n = batch * rows;
    if (mean.length < n) {
      mean = new float[n];
      inv = new float[n];
    }
    int f = features;
    for (int r = 0; r < batch; r++) {
      int real = masked ? SequenceMask.length(lengths, r, rows) : rows;
      for (int t = 0; t < rows; t++) {
        int row = r * rows + t;
        int o = row * f;
        if (t >= real) {
          java.util.Arrays.fill(y, o, o + f, 0f);
          continue;
        }
        double s = 0;
        for (int j = 0; j < f; j++) {
          s += x[o + j];
        }
        double m = s / f;
        double sq = 0;
        for (int j = 0; j < f; j++) {
          double d = x[o + j] - m;
          sq += d * d;
        }
        float mu = (float) m;
        float ri = (float) (1.0 / Math.sqrt(sq / f + eps));
        mean[row] = mu;
        inv[row] = ri;
        for (int j = 0; j < f; j++) {
          y[o + j] = params[gamma + j] * ((x[o + j] - mu) * ri) + params[beta + j];
        }
      }
    }
  }

  /**
   * Backward of the last forward pass: adds dγ, dβ into {@code grads}; writes dx (adds it when
   * {@code addDx}) unless dx is null.
   */
  void backward(float[] params, float[] x, float[] dy, float[] dx, float[] grads, int batch, int[] lengths,
                boolean addDx) {
    int f = features;
    for (int r = 0; r < batch; r++) {
      int real = masked ? SequenceMask.length(lengths, r, rows) : rows;
      for (int t = 0; t < rows; t++) {
        int row = r * rows + t;
        int o = row * f;
        if (t >= real) {
          if (dx != null && !addDx) {
            java.util.Arrays.fill(dx, o, o + f, 0f);
          }
          continue;
        }
        float mu = mean[row];
        float ri = inv[row];
        double sg = 0;
        double sgx = 0;
        for (int j = 0; j < f; j++) {
          float xhat = (x[o + j] - mu) * ri;
          float d = dy[o + j];
          grads[gamma + j] += d * xhat;
          grads[beta + j] += d;
          float g = params[gamma + j] * d;
          sg += g;
          sgx += g * xhat;
        }
        if (dx == null) {
          continue;
        }
        float mg = (float) (sg / f);
        float mgx = (float) (sgx / f);
        for (int j = 0; j < f; j++) {
          float xhat = (x[o + j] - mu) * ri;
          float v = ri * (params[gamma + j] * dy[o + j] - mg - xhat * mgx);
          dx[o + j] = addDx ? dx[o + j] + v : v;
        }
      }
    }
  }
}
