package io.sparkprop.core.optim;

/**
 * Multiplies the rate by {@code gamma} every {@code stepEpochs} epochs:
 * {@code multiplier = gamma^⌊epoch/stepEpochs⌋} (epoch from 0; PyTorch's {@code StepLR}).
 *
 * @param stepEpochs epochs between decays, ≥ 1
 * @param gamma      factor per decay, in (0, 1]
 */
public record StepDecay(int stepEpochs, double gamma) implements LearningRateSchedule {

  public StepDecay {
    if (stepEpochs < 1) {
      throw new IllegalArgumentException("step_decay: stepEpochs must be >= 1, got " + stepEpochs);
    }
    LearningRateSchedule.checkDecay("step_decay", "gamma", gamma);
  }

  @Override
  public double multiplier(int epoch, long step, int stepsPerEpoch) {
    return Math.pow(gamma, epoch / stepEpochs);
  }
}
