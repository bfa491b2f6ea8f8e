package io.sparkprop.core.optim;

/**
 * Exponential decay: {@code multiplier = gamma^step} when {@code perStep} (global step from 0),
 * else {@code gamma^epoch} (epoch from 0; PyTorch's {@code ExponentialLR}).
 *
 * @param gamma   factor per step or epoch, in (0, 1]
 * @param perStep decay every step instead of every epoch
 */
public record ExponentialDecay(double gamma, boolean perStep) implements LearningRateSchedule {

  public ExponentialDecay {
    LearningRateSchedule.checkDecay("exponential_decay", "gamma", gamma);
  }

  @Override
  public double multiplier(int epoch, long step, int stepsPerEpoch) {
    return Math.pow(gamma, perStep ? step : epoch);
  }
}
