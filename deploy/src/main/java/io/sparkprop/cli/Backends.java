package io.sparkprop.cli;

import io.sparkprop.cli.config.SparkSpec;
import io.sparkprop.core.metrics.MetricOptions;

/** Creates the {@link TrainingBackend} that {@code --backend} names. */
final class Backends {
  private Backends() {
  }

  /**
   * Fails when the backend cannot do what the run asks (checkpoints or {@code --resume} on the
   * local backend); called before anything is written or Spark starts.
   */
  static void check(RuntimeOptions runtime, boolean checkpoints, String resume) {
    if (runtime.backend == RuntimeOptions.Backend.local && (checkpoints || resume != null)) {
      throw new io.sparkprop.cli.config.ConfigException((checkpoints ? "checkpoint.everyEpochs" : "--resume")
          + " needs --backend spark: checkpoints and resuming are the Spark trainer's");
    }
  }

  static TrainingBackend create(RuntimeOptions runtime, SparkSpec spark, SparkSessions.Session session,
                                Checkpoints checkpoints) {
    return create(runtime, spark, session, checkpoints, MetricOptions.DEFAULTS);
  }

  /** As {@link #create(RuntimeOptions, SparkSpec, SparkSessions.Session, Checkpoints)}, with the validation metrics' settings. */
  static TrainingBackend create(RuntimeOptions runtime, SparkSpec spark, SparkSessions.Session session,
                                Checkpoints checkpoints, MetricOptions metrics) {
    return switch (runtime.backend) {
      case local -> {
        if (checkpoints.path() != null || checkpoints.resumeFrom() != null) {
          throw new io.sparkprop.cli.config.ConfigException("checkpoints and --resume need --backend spark");
        }
        yield new LocalBackend(metrics);
      }
      case spark -> new SparkBackend(session, spark, checkpoints, metrics);
    };
  }
}
