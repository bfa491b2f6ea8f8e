package io.sparkprop.core.layer;

/**
 * The maths of {@link BatchNormalization} over activations {@code x[b, c, p]} ({@code C}
 * channels of {@code S} positions). With {@code N = batch·S}, {@code x̂ = (x − μ)·r} and
 * {@code r = 1/sqrt(σ² + ε)}, the training-mode gradients are
 *
 * <pre>
 * dγ += Σ dy·x̂      dβ += Σ dy
 * dx  = γ·r·(dy − Σdy/N − x̂·Σ(dy·x̂)/N)
 * </pre>
 *
 * and in inference mode ({@code μ, σ²} the running statistics, constants) {@code dx = γ·r·dy}.
 * The batch statistics of the last training forward pass are kept per channel for backward,
 * which also adds {@code batch·μ} and {@code batch·σ²_unbiased} into the state tensors' gradient
 * slots (see {@link BatchNormalization}).
 */
final class BatchNormModel implements LayerModel {
  private final int channels;
  private final int positions;
  private final float eps;
  private final int gamma;
  private final int beta;
  private final int runMean;
  private final int runVar;
  private final float[] mean;
  private final float[] inv;
  private final double[] var;

  BatchNormModel(int channels, int positions, float eps, int gamma, int beta, int runMean, int runVar) {
    this.channels = channels;
    this.positions = positions;
    this.eps = eps;
    this.gamma = gamma;
    this.beta = beta;
    this.runMean = runMean;
    this.runVar = runVar;
    this.mean = new float[channels];
    this.inv = new float[channels];
    this.var = new double[channels];
  }

  @Override
  public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
    int stride = channels * positions;
    for (int c = 0; c < channels; c++) {
      float mu;
      float r;
      if (pass.training()) {
        double sum = 0;
        for (int b = 0; b < batch; b++) {
          int o = b * stride + c * positions;
          for (int p = 0; p < positions; p++) {
            sum += x[o + p];
          }
        }
        double m = sum / ((double) batch * positions);
        double sq = 0;
        for (int b = 0; b < batch; b++) {
          int o = b * stride + c * positions;
          for (int p = 0; p < positions; p++) {
            double d = x[o + p] - m;
            sq += d * d;
          }
        }
        var[c] = sq / ((double) batch * positions);
        mu = (float) m;
        r = (float) (1.0 / Math.sqrt(var[c] + eps));
        mean[c] = mu;
        inv[c] = r;
      } else {
        mu = params[runMean + c];
        r = (float) (1.0 / Math.sqrt(params[runVar + c] + (double) eps));
      }
      float scale = params[gamma + c] * r;
      float shift = params[beta + c] - mu * scale;
      for (int b = 0; b < batch; b++) {
        int o = b * stride + c * positions;
        for (int p = 0; p < positions; p++) {
          y[o + p] = x[o + p] * scale + shift;
        }
      }
    }
  }

  @Override
  public void backward(Backward ctx) {
    float[] params = ctx.params();
    float[] x = ctx.input();
    float[] dy = ctx.outputGrad();
    float[] dx = ctx.inputGrad();
    float[] grads = ctx.paramGrads();
    int batch = ctx.batch();
    Pass pass = ctx.pass();
    int stride = channels * positions;
    long n = (long) batch * positions;
    for (int c = 0; c < channels; c++) {
      float mu;
      float r;
      if (pass.training()) {
        mu = mean[c];
        r = inv[c];
      } else {
        mu = params[runMean + c];
        r = (float) (1.0 / Math.sqrt(params[runVar + c] + (double) eps));
      }
      double sumDy = 0;
      double sumDyXhat = 0;
      for (int b = 0; b < batch; b++) {
        int o = b * stride + c * positions;
        for (int p = 0; p < positions; p++) {
          float d = dy[o + p];
          sumDy += d;
          sumDyXhat += d * ((x[o + p] - mu) * r);
        }
      }
      grads[gamma + c] += (float) sumDyXhat;
      grads[beta + c] += (float) sumDy;
      if (pass.training()) {
        grads[runMean + c] += batch * mu;
        double unbiased = n > 1 ? var[c] * n / (n - 1) : params[runVar + c];
        grads[runVar + c] += (float) (batch * unbiased);
      }
      if (dx == null) {
        continue;
      }
      float scale = params[gamma + c] * r;
      if (pass.training()) {
        float meanDy = (float) (sumDy / n);
        float meanDyXhat = (float) (sumDyXhat / n);
        for (int b = 0; b < batch; b++) {
          int o = b * stride + c * positions;
          for (int p = 0; p < positions; p++) {
            float xhat = (x[o + p] - mu) * r;
            dx[o + p] = scale * (dy[o + p] - meanDy - xhat * meanDyXhat);
          }
        }
      } else {
        for (int b = 0; b < batch; b++) {
          int o = b * stride + c * positions;
          for (int p = 0; p < positions; p++) {
            dx[o + p] = scale * dy[o + p];
          }
        }
      }
    }
  }
}
