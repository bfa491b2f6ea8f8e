package io.sparkprop.core.optim;

/**
 * The state and computation of {@link ReduceOnPlateau} (Keras' ReduceLROnPlateau without
 * cooldown): after each epoch {@link #update} gets the monitored value; when it has not improved
 * ({@link MonitorMode#improves}) for {@code patience} epochs in a row the factor becomes
 * {@code max(factor·settings.factor, minRate/baseRate)} and the wait starts again. The
 * learning rate is {@code baseRate · factor · schedule multiplier}. The state (factor, best,
 * epochs waited) can be read and restored for checkpoints.
 */
public final class PlateauTracker {
  private final ReduceOnPlateau settings;
  private final double minFactor;
  private final MonitorMode mode;
  private double factor = 1.0;
  private double best = Double.NaN;
  private int epochsWaited;

  /** A fresh tracker (factor 1, no best value yet) for a base learning rate {@code baseRate}. */
  public PlateauTracker(ReduceOnPlateau settings, double baseRate) {
    if (!(baseRate > 0)) {
      throw new IllegalArgumentException("reduce_on_plateau: the base learning rate must be > 0, got " + baseRate);
    }
    this.settings = settings;
    this.minFactor = settings.minRate() / baseRate;
    this.mode = settings.mode();
  }

  /**
   * Takes the epoch's value of the monitored metric and returns the new factor.
   *
   * @throws IllegalArgumentException when the value is NaN (the metric is not reported)
   */
  public double update(double value) {
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("reduce_on_plateau monitors '" + settings.monitor()
          + "', which is NaN (no validation data, not a classifier, or a diverged loss)");
    }
    if (mode.improves(value, best, settings.minDelta())) {
      best = value;
      epochsWaited = 0;
    } else if (++epochsWaited >= settings.patience() && factor > minFactor) {
      factor = Math.max(factor * settings.factor(), minFactor);
      epochsWaited = 0;
    }
    return factor;
  }

  /** Whether the monitored metric is maximised (accuracies). */
  public boolean maximise() {
    return mode == MonitorMode.MAX;
  }

  /** The current factor on the base learning rate (1 until the first reduction). */
  public double factor() {
    return factor;
  }

  /** The best value seen so far, NaN before the first update. */
  public double best() {
    return best;
  }

  /** Epochs since the last improvement or reduction. */
  public int epochsWaited() {
    return epochsWaited;
  }

  /** Restores the state from a checkpoint. */
  public void restore(double factor, double best, int epochsWaited) {
    this.factor = factor;
    this.best = best;
    this.epochsWaited = epochsWaited;
  }
}
