package io.sparkprop.core.optim;

/**
 * Multiplies the learning rate by {@code factor} when {@code monitor} ("val_loss", "loss",
 * "val_accuracy", "accuracy") has not improved by more than {@code minDelta} for
 * {@code patience} epochs, never below {@code minRate} (Keras' ReduceLROnPlateau). Its state
 * (best value, epochs waited, current factor) lives in the trainer's state.
 */
public record ReduceOnPlateau(String monitor, double factor, int patience, double minDelta, double minRate)
    implements LearningRateSchedule {

  public ReduceOnPlateau {
    if (monitor == null) {
      monitor = "val_loss";
    }
    if (!(factor > 0 && factor < 1)) {
      throw new IllegalArgumentException("reduce_on_plateau: factor must be in (0, 1), got " + factor);
    }
    if (patience < 0 || minDelta < 0 || minRate < 0) {
      throw new IllegalArgumentException("reduce_on_plateau: patience, minDelta and minRate must be >= 0");
    }
  }

  @Override
  public double multiplier(int epoch, long step, int stepsPerEpoch) {
    return 1.0;
  }
}
