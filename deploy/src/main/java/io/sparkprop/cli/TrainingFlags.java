package io.sparkprop.cli;

import io.sparkprop.cli.config.Overrides;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Shorthands for common overrides of the training commands, each one {@code --set}:
 * {@code --epochs} is {@code training.epochs}, {@code --batch-size} {@code training.batchSize},
 * {@code --lr} {@code training.optimizer.learningRate}, {@code --seed} {@code training.seed},
 * {@code --partitions} {@code spark.partitions}. They apply after the {@code --set}s.
 */
public final class TrainingFlags {
  @Option(names = "--epochs", paramLabel = "N", description = "Epochs (training.epochs).")
  Integer epochs;

  @Option(names = "--batch-size", paramLabel = "N", description = "Global batch size (training.batchSize).")
  Integer batchSize;

  @Option(names = "--lr", paramLabel = "RATE", description = "Base learning rate (training.optimizer.learningRate).")
  Double lr;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of shuffles and dropout (training.seed).")
  Long seed;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Training partitions; 0 = one per core (spark.partitions).")
  Integer partitions;

  void addTo(List<Overrides.Assignment> out) {
    ConfigOptions.flag(out, "--epochs", "training.epochs", epochs);
    ConfigOptions.flag(out, "--batch-size", "training.batchSize", batchSize);
    ConfigOptions.flag(out, "--lr", "training.optimizer.learningRate", lr);
    ConfigOptions.flag(out, "--seed", "training.seed", seed);
    ConfigOptions.flag(out, "--partitions", "spark.partitions", partitions);
  }
}
