package io.sparkprop.core.loss;

/**
 * Huber loss: {@code ℓ(d) = d²/2} for {@code |d| ≤ delta}, {@code delta·(|d| − delta/2)} beyond;
 * per sample the mean over outputs (PyTorch's {@code HuberLoss}).
 */
public record Huber(double delta) implements RegressionLoss {

  public Huber {
    if (!(delta > 0)) {
      throw new IllegalArgumentException("Huber delta must be > 0, got " + delta);
    }
  }

  /** Huber with delta 1. */
  public Huber() {
    this(1.0);
  }

  @Override
  public double value(double d) {
    double a = Math.abs(d);
    return a <= delta ? 0.5 * d * d : delta * (a - 0.5 * delta);
  }

  @Override
  public double slope(double d) {
    return Math.abs(d) <= delta ? d : delta * Math.signum(d);
  }
}
