package io.sparkprop.core.loss;

import java.io.Serializable;

/**
 * Additive counters of a pass over some samples: the loss summed over samples (double, each
 * sample's loss times its weight), the sample count, the number of correct predictions
 * (classification only) and the summed sample weights (the count when unweighted). Sums from
 * partitions add up exactly, so means are taken once, over the true total weight: a sample of
 * weight 2 counts as that sample twice.
 */
public record LossSums(double lossSum, long count, long correct, double weight) implements Serializable {
  /** Nothing yet. */
  public static final LossSums ZERO = new LossSums(0, 0, 0);

  /** Unweighted sums: every sample weighs 1. */
  public LossSums(double lossSum, long count, long correct) {
    this(lossSum, count, correct, count);
  }

  /** Element-wise sum. */
  public LossSums plus(LossSums o) {
    return new LossSums(lossSum + o.lossSum, count + o.count, correct + o.correct, weight + o.weight);
  }

  /** Mean loss per unit of weight (per sample when unweighted; NaN for no samples). */
  public double meanLoss() {
    return count == 0 ? Double.NaN : lossSum / weight;
  }

  /** Fraction of correct predictions (NaN for no samples). */
  public double accuracy() {
    return count == 0 ? Double.NaN : (double) correct / count;
  }
}
