package io.sparkprop.core.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.optim.ConstantRate;
import io.sparkprop.core.optim.LearningRateSchedule;
import io.sparkprop.core.optim.Optimizer;

/**
 * How to train: optimizer, learning-rate schedule, epochs, global batch size, seed, gradient
 * clipping and early stopping. Immutable; {@code with...} methods return changed copies. The
 * defaults live in {@link #fromJson} only (Adam 1e-3, constant rate, 10 epochs, batch 32, seed 42,
 * no clipping, no early stopping).
 *
 * @param optimizer      the optimizer settings (its learning rate is the base rate)
 * @param schedule       multiplier of the base rate per step/epoch
 * @param epochs         number of passes over the training data
 * @param batchSize      global batch size: samples per synchronous step over all partitions
 * @param seed           seeds shuffles and dropout (initialisation is seeded separately)
 * @param clipGlobalNorm rescale the gradient to this L2 norm when larger; 0 = no clipping
 * @param earlyStopping  stop when a monitored metric stops improving; null = never
 */
public record TrainingConfig(Optimizer optimizer, LearningRateSchedule schedule, int epochs, int batchSize,
                             long seed, double clipGlobalNorm, EarlyStopping earlyStopping) {

  /** The defaults. */
  public static final TrainingConfig DEFAULTS = fromJson(null, null, null, null, null, null, null);

  public TrainingConfig {
    if (optimizer == null || schedule == null) {
      throw new IllegalArgumentException("training: optimizer and schedule are required");
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("training: epochs must be >= 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("training: batchSize must be >= 1, got " + batchSize);
    }
    if (!(clipGlobalNorm >= 0)) {
      throw new IllegalArgumentException("training: clipGlobalNorm must be >= 0 (0 = off), got " + clipGlobalNorm);
    }
  }

  /** Builds a config from possibly missing (null) values, filling the defaults. */
  @JsonCreator
  public static TrainingConfig fromJson(@JsonProperty("optimizer") Optimizer optimizer,
                                        @JsonProperty("schedule") LearningRateSchedule schedule,
                                        @JsonProperty("epochs") Integer epochs,
                                        @JsonProperty("batchSize") Integer batchSize,
                                        @JsonProperty("seed") Long seed,
                                        @JsonProperty("clipGlobalNorm") Double clipGlobalNorm,
                                        @JsonProperty("earlyStopping") EarlyStopping earlyStopping) {
    return new TrainingConfig(
        optimizer == null ? new Adam(1e-3) : optimizer,
        schedule == null ? new ConstantRate() : schedule,
        epochs == null ? 10 : epochs,
        batchSize == null ? 32 : batchSize,
        seed == null ? 42L : seed,
        clipGlobalNorm == null ? 0.0 : clipGlobalNorm,
        earlyStopping);
  }

  public TrainingConfig withOptimizer(Optimizer o) {
    return new TrainingConfig(o, schedule, epochs, batchSize, seed, clipGlobalNorm, earlyStopping);
  }

  public TrainingConfig withSchedule(LearningRateSchedule s) {
    return new TrainingConfig(optimizer, s, epochs, batchSize, seed, clipGlobalNorm, earlyStopping);
  }

  public TrainingConfig withEpochs(int e) {
    return new TrainingConfig(optimizer, schedule, e, batchSize, seed, clipGlobalNorm, earlyStopping);
  }

  public TrainingConfig withBatchSize(int b) {
    return new TrainingConfig(optimizer, schedule, epochs, b, seed, clipGlobalNorm, earlyStopping);
  }

  public TrainingConfig withSeed(long s) {
    return new TrainingConfig(optimizer, schedule, epochs, batchSize, s, clipGlobalNorm, earlyStopping);
  }

  public TrainingConfig withClipGlobalNorm(double c) {
    return new TrainingConfig(optimizer, schedule, epochs, batchSize, seed, c, earlyStopping);
  }

  public TrainingConfig withEarlyStopping(EarlyStopping es) {
    return new TrainingConfig(optimizer, schedule, epochs, batchSize, seed, clipGlobalNorm, es);
  }
}
