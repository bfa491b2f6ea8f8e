package io.sparkprop.core.optim;

/**
 * Linear warm-up, then cosine decay, by global step {@code s} (from 0), with {@code W}
 * warm-up steps, {@code T} total steps and floor {@code f}:
 * <ul>
 *   <li>{@code s < W}: {@code (s + 1)/W} (from 1/W up to 1);</li>
 *   <li>{@code W ≤ s < T}: {@code f + (1 − f)·(1 + cos(π·(s − W)/(T − W)))/2} (1 down to f);</li>
 *   <li>{@code s ≥ T}: {@code f}.</li>
 * </ul>
 * {@code totalSteps} is required (not derived): it is usually epochs × steps per epoch.
 *
 * @param warmupSteps   W ≥ 0 (0 = no warm-up)
 * @param totalSteps    T &gt; W, the step at which the floor is reached
 * @param minMultiplier floor f in [0, 1]
 */
public record CosineDecay(int warmupSteps, long totalSteps, double minMultiplier) implements LearningRateSchedule {

  public CosineDecay {
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("cosine_decay: warmupSteps must be >= 0, got " + warmupSteps);
    }
    if (totalSteps <= warmupSteps) {
      throw new IllegalArgumentException("cosine_decay: totalSteps must be > warmupSteps (" + warmupSteps
          + "), got " + totalSteps + " (it is required: epochs × steps per epoch)");
    }
    if (!(minMultiplier >= 0 && minMultiplier <= 1)) {
      throw new IllegalArgumentException("cosine_decay: minMultiplier must be in [0, 1], got " + minMultiplier);
    }
  }

  @Override
  public double multiplier(int epoch, long step, int stepsPerEpoch) {
    if (step < warmupSteps) {
      return (step + 1.0) / warmupSteps;
    }
    if (step >= totalSteps) {
      return minMultiplier;
    }
    double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
    return minMultiplier + (1 - minMultiplier) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
}
