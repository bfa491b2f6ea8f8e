package io.sparkprop.core.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), PyTorch's {@code AdamW}: first
 * {@code p ← p·(1 − lr·wd)} with the step's (scheduled) learning rate, then the {@link Adam}
 * update of {@code p} from the unmodified gradient.
 *
 * @param learningRate base rate, default 0.001
 * @param beta1        β1 in [0, 1), default 0.9
 * @param beta2        β2 in [0, 1), default 0.999
 * @param epsilon      ε &gt; 0 (added outside the square root), default 1e-8
 * @param weightDecay  decoupled decay wd ≥ 0, default 0.01 (PyTorch's)
 */
public record AdamW(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
    implements Optimizer {

  static final double DEFAULT_WEIGHT_DECAY = 0.01;

  public AdamW {
    Optimizers.checkPositive("adamw", "learningRate", learningRate);
    Optimizers.checkFraction("adamw", "beta1", beta1);
    Optimizers.checkFraction("adamw", "beta2", beta2);
    Optimizers.checkPositive("adamw", "epsilon", epsilon);
    Optimizers.checkNonNegative("adamw", "weightDecay", weightDecay);
  }

  /** AdamW with Adam's defaults (β1 0.9, β2 0.999, ε 1e-8) and the given decay. */
  public AdamW(double learningRate, double weightDecay) {
    this(learningRate, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPSILON, weightDecay);
  }

  @JsonCreator
  static AdamW fromJson(@JsonProperty("learningRate") Double learningRate, @JsonProperty("beta1") Double beta1,
                        @JsonProperty("beta2") Double beta2, @JsonProperty("epsilon") Double epsilon,
                        @JsonProperty("weightDecay") Double weightDecay) {
    return new AdamW(learningRate == null ? Adam.DEFAULT_LEARNING_RATE : learningRate,
        beta1 == null ? Adam.DEFAULT_BETA1 : beta1, beta2 == null ? Adam.DEFAULT_BETA2 : beta2,
        epsilon == null ? Adam.DEFAULT_EPSILON : epsilon,
        weightDecay == null ? DEFAULT_WEIGHT_DECAY : weightDecay);
  }

  @Override
  public int slots() {
    return 2;
  }

  /** {@code p ← p·(1 − lr·wd)}, then Adam without coupled decay; slots m and v. */
  @Override
  public void update(OptimizerState s, float[] p, float[] g, long t, double lr, int from, int to) {
    float keep = (float) (1 - lr * weightDecay);
    Adam.adam(p, g, s.slot(0), s.slot(1), t, lr, beta1, beta2, epsilon, 0, keep, from, to);
  }
}
