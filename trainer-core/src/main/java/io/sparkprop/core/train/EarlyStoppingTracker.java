package io.sparkprop.core.train;

import io.sparkprop.core.optim.MonitorMode;

/**
 * The state and computation of {@link EarlyStopping} (Keras' rules): each epoch
 * {@link #update} gets the monitored value; an improvement ({@link MonitorMode#improves}) makes
 * it the best and resets the wait, otherwise the wait grows and training should stop once it
 * reaches {@code patience}. Keeping the best parameters is the caller's job (when
 * {@code update} returns true). The state can be read and restored for checkpoints.
 */
public final class EarlyStoppingTracker {
  private final EarlyStopping settings;
  private final MonitorMode mode;
  private double best = Double.NaN;
  private int bestEpoch = -1;
  private int epochsWaited;

  /** A fresh tracker (no best value yet). */
  public EarlyStoppingTracker(EarlyStopping settings) {
    this.settings = settings;
    this.mode = settings.mode();
  }

  /**
   * Takes the value of the monitored metric after {@code epoch} (numbered as the caller does);
   * returns true when it is a new best.
   *
   * @throws IllegalArgumentException when the value is NaN (the metric is not reported)
   */
  public boolean update(double value, int epoch) {
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("early stopping monitors '" + settings.monitor()
          + "', which is NaN (no validation data, not a classifier, or a diverged loss)");
    }
    if (mode.improves(value, best, settings.minDelta())) {
      best = value;
      bestEpoch = epoch;
      epochsWaited = 0;
      return true;
    }
    epochsWaited++;
    return false;
  }

  /** True once the metric has not improved for {@code patience} epochs. */
  public boolean shouldStop() {
    return !Double.isNaN(best) && epochsWaited >= settings.patience() && epochsWaited > 0;
  }

  /** The best value so far, NaN before the first update. */
  public double best() {
    return best;
  }

  /** The epoch of the best value, -1 before the first update. */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** Epochs since the best one. */
  public int epochsWaited() {
    return epochsWaited;
  }

  /** Restores the state from a checkpoint. */
  public void restore(double best, int bestEpoch, int epochsWaited) {
    this.best = best;
    this.bestEpoch = bestEpoch;
    this.epochsWaited = epochsWaited;
  }
}
