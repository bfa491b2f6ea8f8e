package io.sparkprop.core.optim;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonTypeIdResolver;

/**
 * A learning-rate schedule: the rate of a step is {@code base · multiplier(epoch, step, S)},
 * with {@code step} the global step count (from 0), {@code epoch} from 0 and {@code S} the steps
 * per epoch. Reduce-on-plateau is driven by validation metrics instead: see
 * {@link ReduceOnPlateau} and {@link PlateauTracker}. In JSON the {@code type} is one of
 * {@code constant}, {@code step_decay}, {@code exponential_decay}, {@code cosine_decay},
 * {@code reduce_on_plateau}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CUSTOM, property = "type")
@JsonTypeIdResolver(Schedules.Resolver.class)
public interface LearningRateSchedule {

  /** Multiplier of the base rate for the given global step (0-based) and epoch (0-based). */
  double multiplier(int epoch, long step, int stepsPerEpoch);

  /** Requires {@code 0 < gamma ≤ 1}; {@code schedule} and {@code field} name it in the message. */
  static void checkDecay(String schedule, String field, double gamma) {
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException(schedule + ": " + field + " must be in (0, 1], got " + gamma);
    }
  }
}
