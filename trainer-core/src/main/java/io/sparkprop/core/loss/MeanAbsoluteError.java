package io.sparkprop.core.loss;

/** Mean absolute error: per sample {@code mean_j |o_j − y_j|}; slope sign(d), 0 at 0 (PyTorch). */
public record MeanAbsoluteError() implements RegressionLoss {
  @Override
  public double value(double d) {
    return Math.abs(d);
  }

  @Override
  public double slope(double d) {
    return Math.signum(d);
  }
}
