package io.sparkprop.core.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * RMSprop (Hinton), PyTorch's form: {@code g ← g + wd·p} (coupled L2) first,
 * {@code s = ρ·s + (1−ρ)·g²}, then {@code p −= lr·g/(√s + ε)} (ε outside the square root);
 * with momentum μ &gt; 0 {@code buf = μ·buf + g/(√s + ε)} and {@code p −= lr·buf}.
 *
 * @param learningRate base rate, default 0.01
 * @param rho          decay ρ in [0, 1) of the squared-gradient average (PyTorch's alpha), default 0.99
 * @param momentum     μ in [0, 1), default 0
 * @param epsilon      ε &gt; 0, default 1e-8
 * @param weightDecay  coupled L2 factor wd ≥ 0, default 0
 */
public record RMSProp(double learningRate, double rho, double momentum, double epsilon, double weightDecay)
    implements Optimizer {

  static final double DEFAULT_LEARNING_RATE = 0.01;
  static final double DEFAULT_RHO = 0.99;
  static final double DEFAULT_EPSILON = 1e-8;

  public RMSProp {
    Optimizers.checkPositive("rmsprop", "learningRate", learningRate);
    Optimizers.checkFraction("rmsprop", "rho", rho);
    Optimizers.checkFraction("rmsprop", "momentum", momentum);
    Optimizers.checkPositive("rmsprop", "epsilon", epsilon);
    Optimizers.checkNonNegative("rmsprop", "weightDecay", weightDecay);
  }

  /** RMSprop with the defaults (ρ 0.99, no momentum, ε 1e-8, no weight decay). */
  public RMSProp(double learningRate) {
    this(learningRate, DEFAULT_RHO, 0, DEFAULT_EPSILON, 0);
  }

  @JsonCreator
  static RMSProp fromJson(@JsonProperty("learningRate") Double learningRate, @JsonProperty("rho") Double rho,
                          @JsonProperty("momentum") Double momentum, @JsonProperty("epsilon") Double epsilon,
                          @JsonProperty("weightDecay") Double weightDecay) {
    return new RMSProp(learningRate == null ? DEFAULT_LEARNING_RATE : learningRate,
        rho == null ? DEFAULT_RHO : rho, momentum == null ? 0 : momentum,
        epsilon == null ? DEFAULT_EPSILON : epsilon, weightDecay == null ? 0 : weightDecay);
  }

  /** Slot 0 the squared-gradient average s, slot 1 (with momentum) the momentum buffer. */
  @Override
  public int slots() {
    return momentum == 0 ? 1 : 2;
  }

  /**
   * {@code g' = g + wd·p}, {@code s = ρ·s + (1−ρ)·g'²}; without momentum {@code p −= lr·g'/(√s + ε)},
   * with it {@code buf = μ·buf + g'/(√s + ε)} and {@code p −= lr·buf} (slot 0 is s, slot 1 buf).
   */
  @Override
  public void update(OptimizerState state, float[] p, float[] g, long t, double lr, int from, int to) {
    float[] s = state.slot(0);
    float[] buf = state.slotCount() > 1 ? state.slot(1) : null;
    float r = (float) rho;
    float c = (float) (1 - rho);
    float mu = (float) momentum;
    float wd = (float) weightDecay;
    float eps = (float) epsilon;
    float rate = (float) lr;
    for (int i = from; i < to; i++) {
      float gi = g[i] + wd * p[i];
      float si = r * s[i] + c * gi * gi;
      s[i] = si;
      float d = gi / ((float) Math.sqrt(si) + eps);
      if (buf != null) {
        d += mu * buf[i];
        buf[i] = d;
      }
      p[i] -= rate * d;
    }
  }
}
