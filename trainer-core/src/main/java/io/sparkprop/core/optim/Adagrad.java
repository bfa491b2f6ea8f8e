package io.sparkprop.core.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Adagrad (Duchi et al.), PyTorch's form without learning-rate decay: {@code g ← g + wd·p}
 * (coupled L2) first, {@code s = s + g²} with {@code s} starting at {@code initialAccumulator},
 * then {@code p −= lr·g/(√s + ε)}.
 *
 * @param learningRate       base rate, default 0.01
 * @param initialAccumulator start value of s, ≥ 0, default 0 (PyTorch's; Keras uses 0.1)
 * @param epsilon            ε &gt; 0 (added outside the square root), default 1e-10
 * @param weightDecay        coupled L2 factor wd ≥ 0, default 0
 */
public record Adagrad(double learningRate, double initialAccumulator, double epsilon, double weightDecay)
    implements Optimizer {

  static final double DEFAULT_LEARNING_RATE = 0.01;
  static final double DEFAULT_EPSILON = 1e-10;

  public Adagrad {
    Optimizers.checkPositive("adagrad", "learningRate", learningRate);
    Optimizers.checkNonNegative("adagrad", "initialAccumulator", initialAccumulator);
    Optimizers.checkPositive("adagrad", "epsilon", epsilon);
    Optimizers.checkNonNegative("adagrad", "weightDecay", weightDecay);
  }

  /** Adagrad with the defaults (accumulator from 0, ε 1e-10, no weight decay). */
  public Adagrad(double learningRate) {
    this(learningRate, 0, DEFAULT_EPSILON, 0);
  }

  @JsonCreator
  static Adagrad fromJson(@JsonProperty("learningRate") Double learningRate,
                          @JsonProperty("initialAccumulator") Double initialAccumulator,
                          @JsonProperty("epsilon") Double epsilon, @JsonProperty("weightDecay") Double weightDecay) {
    return new Adagrad(learningRate == null ? DEFAULT_LEARNING_RATE : learningRate,
        initialAccumulator == null ? 0 : initialAccumulator, epsilon == null ? DEFAULT_EPSILON : epsilon,
        weightDecay == null ? 0 : weightDecay);
  }

  /** Slot 0 the accumulator s. */
  @Override
  public int slots() {
    return 1;
  }

  @Override
  public float initialSlotValue(int slot) {
    return (float) initialAccumulator;
  }

  /** {@code g' = g + wd·p}, {@code s += g'²}, {@code p −= lr·g'/(√s + ε)} (slot 0 is s). */
  @Override
  public void update(OptimizerState state, float[] p, float[] g, long t, double lr, int from, int to) {
    float[] s = state.slot(0);
    float wd = (float) weightDecay;
    float eps = (float) epsilon;
    float rate = (float) lr;
    for (int i = from; i < to; i++) {
      float gi = g[i] + wd * p[i];
      float si = s[i] + gi * gi;
      s[i] = si;
      p[i] -= rate * gi / ((float) Math.sqrt(si) + eps);
    }
  }
}
