package io.sparkprop.core.loss;

import java.io.Serializable;

/**
 * Additive counters of a pass over some samples: the loss summed over samples (double), the
 * sample count and the number of correct predictions (classification only). Sums from
 * partitions add up exactly, so means are taken once, over the true count.
 */
public record LossSums(double lossSum, long count, long correct) implements Serializable {
  /** Nothing yet. */
  public static final LossSums ZERO = new LossSums(0, 0, 0);

  /** Element-wise sum. */
  public LossSums plus(LossSums o) {
    return new LossSums(lossSum + o.lossSum, count + o.count, correct + o.correct);
  }

  /** Mean loss per sample (NaN for no samples). */
  public double meanLoss() {
    return count == 0 ? Double.NaN : lossSum / count;
  }

  /** Fraction of correct predictions (NaN for no samples). */
  public double accuracy() {
    return count == 0 ? Double.NaN : (double) correct / count;
  }
}
