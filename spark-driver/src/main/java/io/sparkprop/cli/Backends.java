package io.sparkprop.cli;

import io.sparkprop.cli.config.SparkSpec;

/** Creates the {@link TrainingBackend} that {@code --backend} names. */
final class Backends {
  private Backends() {
  }

  static TrainingBackend create(RuntimeOptions runtime, SparkSpec spark, SparkSessions.Session session,
                                Checkpoints checkpoints) {
    return switch (runtime.backend) {
      case local -> {
        if (checkpoints.path() != null || checkpoints.resumeFrom() != null) {
          throw new io.sparkprop.cli.config.ConfigException("checkpoints and --resume need --backend spark");
        }
        yield new LocalBackend();
      }
      case spark -> new SparkBackend(session, spark, checkpoints);
    };
  }
}
