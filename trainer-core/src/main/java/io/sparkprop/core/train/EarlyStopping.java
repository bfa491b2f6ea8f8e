package io.sparkprop.core.train;

import io.sparkprop.core.optim.MonitorMode;

/**
 * Stop training when {@code monitor} has not improved by more than {@code minDelta} for
 * {@code patience} epochs (Keras' EarlyStopping); the mode is inferred from the name like Keras'
 * "auto" ({@link MonitorMode#of}: accuracies maximised, losses minimised). With
 * {@code restoreBestWeights} the model ends with the best epoch's parameters. The computation is
 * {@link EarlyStoppingTracker}. Keys left out of JSON take Keras' defaults (val_loss, 0, 0, false).
 *
 * @param monitor            metric name, default "val_loss"
 * @param patience           epochs without improvement before stopping, ≥ 0
 * @param minDelta           smallest change that counts as an improvement, ≥ 0
 * @param restoreBestWeights end with the best epoch's parameters
 */
public record EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
  public EarlyStopping {
    if (monitor == null) {
      monitor = "val_loss";
    }
    if (patience < 0) {
      throw new IllegalArgumentException("earlyStopping: patience must be >= 0, got " + patience);
    }
    if (!(minDelta >= 0)) {
      throw new IllegalArgumentException("earlyStopping: minDelta must be >= 0, got " + minDelta);
    }
  }

  /** MAX for accuracies, MIN for losses. */
  public MonitorMode mode() {
    return MonitorMode.of(monitor);
  }

  /** True when larger values of the monitored metric are better. */
  public boolean maximise() {
    return mode() == MonitorMode.MAX;
  }
}
