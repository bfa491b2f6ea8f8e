package io.sparkprop.core.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Adam (Kingma and Ba) with PyTorch's formulas: {@code g ← g + wd·p} (coupled L2, as PyTorch's
 * {@code Adam(weight_decay=...)}; see {@link AdamW} for decoupled decay), then
 * {@code m = β1·m + (1−β1)·g}, {@code v = β2·v + (1−β2)·g²},
 * {@code p −= (lr/(1−β1ᵗ))·m/(√v/√(1−β2ᵗ) + ε)} with t the 1-based step count.
 *
 * @param learningRate base rate, default 0.001
 * @param beta1        β1 in [0, 1), default 0.9
 * @param beta2        β2 in [0, 1), default 0.999
 * @param epsilon      ε &gt; 0 (added outside the square root), default 1e-8
 * @param weightDecay  coupled L2 factor wd ≥ 0, default 0
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
    implements Optimizer {

  static final double DEFAULT_LEARNING_RATE = 1e-3;
  static final double DEFAULT_BETA1 = 0.9;
  static final double DEFAULT_BETA2 = 0.999;
  static final double DEFAULT_EPSILON = 1e-8;

  public Adam {
    Optimizers.checkPositive("adam", "learningRate", learningRate);
    Optimizers.checkFraction("adam", "beta1", beta1);
    Optimizers.checkFraction("adam", "beta2", beta2);
    Optimizers.checkPositive("adam", "epsilon", epsilon);
    Optimizers.checkNonNegative("adam", "weightDecay", weightDecay);
  }

  /** Adam with the usual defaults (β1 0.9, β2 0.999, ε 1e-8, no weight decay). */
  public Adam(double learningRate) {
    this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, 0);
  }

  @JsonCreator
  static Adam fromJson(@JsonProperty("learningRate") Double learningRate, @JsonProperty("beta1") Double beta1,
                       @JsonProperty("beta2") Double beta2, @JsonProperty("epsilon") Double epsilon,
                       @JsonProperty("weightDecay") Double weightDecay) {
    return new Adam(learningRate == null ? DEFAULT_LEARNING_RATE : learningRate,
        beta1 == null ? DEFAULT_BETA1 : beta1, beta2 == null ? DEFAULT_BETA2 : beta2,
        epsilon == null ? DEFAULT_EPSILON : epsilon, weightDecay == null ? 0 : weightDecay);
  }

  @Override
  public int slots() {
    return 2;
  }

  /**
   * {@code g' = g + wd·p}, {@code m = β1·m + (1−β1)·g'}, {@code v = β2·v + (1−β2)·g'²},
   * {@code p −= (lr/(1−β1ᵗ))·m/(√v/√(1−β2ᵗ) + ε)}; slots m and v.
   */
  @Override
  public void update(OptimizerState s, float[] p, float[] g, long t, double lr, int from, int to) {
    adam(p, g, s.slot(0), s.slot(1), t, lr, beta1, beta2, epsilon, weightDecay, 1f, from, to);
  }

  /** Adam's loop, shared with {@link AdamW}: p is first multiplied by {@code keep}. */
  static void adam(float[] p, float[] g, float[] m, float[] v, long t, double lr, double beta1, double beta2,
                   double epsilon, double coupledDecay, float keep, int from, int to) {
    float b1 = (float) beta1;
    float c1 = (float) (1 - beta1);
    float b2 = (float) beta2;
    float c2 = (float) (1 - beta2);
    float wd = (float) coupledDecay;
    float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
    float sqrtCorrection2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
    float eps = (float) epsilon;
    for (int i = from; i < to; i++) {
      float pi = p[i] * keep;
      float gi = g[i] + wd * pi;
      float mi = b1 * m[i] + c1 * gi;
      float vi = b2 * v[i] + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = pi - stepSize * mi / ((float) Math.sqrt(vi) / sqrtCorrection2 + eps);
    }
  }
}
