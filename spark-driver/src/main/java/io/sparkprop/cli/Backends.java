package io.sparkprop.cli;

import io.sparkprop.cli.config.SparkSpec;

/** Creates the {@link TrainingBackend} that {@code --backend} names. */
final class Backends {
  private Backends() {
  }

  static TrainingBackend create(RuntimeOptions runtime, SparkSpec spark, String appName) {
    return switch (runtime.backend) {
      case local -> new LocalBackend();
      case spark -> new LocalBackend(); // TODO(cli): SparkBackend once the distributed trainer is on main
    };
  }
}
