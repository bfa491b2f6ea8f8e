package io.sparkprop.core.train;

/**
 * Stop training when {@code monitor} has not improved by more than {@code minDelta} for
 * {@code patience} epochs (Keras' EarlyStopping); metrics named "*accuracy" are maximised,
 * losses minimised. With {@code restoreBestWeights} the model ends with the best epoch's
 * parameters.
 */
public record EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
  public EarlyStopping {
    if (monitor == null) {
      monitor = "val_loss";
    }
    if (patience < 0 || !(minDelta >= 0)) {
      throw new IllegalArgumentException("earlyStopping: patience and minDelta must be >= 0");
    }
  }

  /** True when larger values of the monitored metric are better. */
  public boolean maximise() {
    return monitor.contains("accuracy") || monitor.endsWith("acc");
  }
}
