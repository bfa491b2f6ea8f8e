package io.sparkprop.core.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Multiplies the learning rate by {@code factor} when {@code monitor} ("val_loss", "loss",
 * "val_accuracy", "accuracy") has not improved by more than {@code minDelta} for
 * {@code patience} epochs, never below {@code minRate} (Keras' ReduceLROnPlateau, without
 * cooldown). Only settings: the computation is {@link PlateauTracker}, whose state (best value,
 * epochs waited, current factor) the trainer keeps. Keys left out of JSON take Keras' defaults.
 *
 * @param monitor  metric name, default "val_loss"; names with "accuracy" are maximised
 * @param factor   in (0, 1), default 0.1
 * @param patience epochs without improvement before a reduction, ≥ 0, default 10
 * @param minDelta smallest change that counts as an improvement, ≥ 0, default 1e-4
 * @param minRate  lower bound of the learning rate, ≥ 0, default 0
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
    if (patience < 0) {
      throw new IllegalArgumentException("reduce_on_plateau: patience must be >= 0, got " + patience);
    }
    if (!(minDelta >= 0)) {
      throw new IllegalArgumentException("reduce_on_plateau: minDelta must be >= 0, got " + minDelta);
    }
    if (!(minRate >= 0)) {
      throw new IllegalArgumentException("reduce_on_plateau: minRate must be >= 0, got " + minRate);
    }
  }

  @JsonCreator
  static ReduceOnPlateau fromJson(@JsonProperty("monitor") String monitor, @JsonProperty("factor") Double factor,
                                  @JsonProperty("patience") Integer patience,
                                  @JsonProperty("minDelta") Double minDelta, @JsonProperty("minRate") Double minRate) {
    return new ReduceOnPlateau(monitor, factor == null ? 0.1 : factor, patience == null ? 10 : patience,
        minDelta == null ? 1e-4 : minDelta, minRate == null ? 0 : minRate);
  }

  /** MAX for accuracies, MIN for losses. */
  public MonitorMode mode() {
    return MonitorMode.of(monitor);
  }

  @Override
  public double multiplier(int epoch, long step, int stepsPerEpoch) {
    return 1.0;
  }
}
