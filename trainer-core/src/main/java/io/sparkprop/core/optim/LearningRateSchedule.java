package io.sparkprop.core.optim;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A learning-rate schedule: the rate of a step is {@code base · multiplier(epoch, step, S)},
 * with {@code step} the global step count (from 0) and {@code S} the steps per epoch.
 * Reduce-on-plateau is driven by validation metrics instead: see {@link ReduceOnPlateau}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ConstantRate.class, name = "constant"),
    @JsonSubTypes.Type(value = ReduceOnPlateau.class, name = "reduce_on_plateau"),
})
public interface LearningRateSchedule {

  /** Multiplier of the base rate for the given global step (0-based) and epoch (0-based). */
  double multiplier(int epoch, long step, int stepsPerEpoch);
}
