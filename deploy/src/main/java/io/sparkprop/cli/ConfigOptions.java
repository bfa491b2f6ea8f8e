package io.sparkprop.cli;

import io.sparkprop.cli.config.ConfigLoader;
import io.sparkprop.cli.config.Overrides;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that choose and override the run config, shared by the commands:
 * {@code --config}, {@code --set KEY=VALUE} and {@code --limit} (short for
 * {@code --set data.limit=N}). The training commands add {@link TrainingFlags}.
 */
public final class ConfigOptions {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Run config, JSON or YAML, or the name of a bundled one (mnist-mlp, mnist-cnn, "
          + "csv-regression, libsvm-classification). Default: mnist-mlp.")
  String config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override a config key, e.g. --set training.epochs=5 --set model.layers[0].units=64 (repeatable).")
  List<String> set = new ArrayList<>();

  @Option(names = "--limit", paramLabel = "N", description = "Use at most N samples of each data source (data.limit).")
  Integer limit;

  /** The overrides in the order they apply: the {@code --set}s, then {@code --limit}, then {@code training}'s flags. */
  public List<Overrides.Assignment> overrides(TrainingFlags training) {
    List<Overrides.Assignment> out = new ArrayList<>();
    for (String s : set) {
      out.add(Overrides.Assignment.parse(s));
    }
    flag(out, "--limit", "data.limit", limit);
    if (training != null) {
      training.addTo(out);
    }
    return out;
  }

  /** Loads {@code config} (or {@code fallback} when no --config is given; null = the default) with the overrides. */
  public ConfigLoader.Loaded load(TrainingFlags training, String fallback) {
    return ConfigLoader.load(config != null ? config : fallback, overrides(training));
  }

  /** Whether --config was given. */
  public boolean hasConfig() {
    return config != null;
  }

  static void flag(List<Overrides.Assignment> out, String flag, String key, Object value) {
    if (value != null) {
      out.add(new Overrides.Assignment(key, value.toString(), flag + " " + value));
    }
  }
}
