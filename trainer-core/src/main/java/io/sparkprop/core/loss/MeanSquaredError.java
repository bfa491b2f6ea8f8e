package io.sparkprop.core.loss;

/** Mean squared error: per sample {@code mean_j (o_j − y_j)²}. */
public record MeanSquaredError() implements RegressionLoss {
  @Override
  public double value(double d) {
    return d * d;
  }

  @Override
  public double slope(double d) {
    return 2 * d;
  }
}
