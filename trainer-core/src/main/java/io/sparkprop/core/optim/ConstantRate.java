package io.sparkprop.core.optim;

/** The base learning rate throughout. */
public record ConstantRate() implements LearningRateSchedule {
  @Override
  public double multiplier(int epoch, long step, int stepsPerEpoch) {
    return 1.0;
  }
}
