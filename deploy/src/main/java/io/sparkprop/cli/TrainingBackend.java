package io.sparkprop.cli;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import java.util.List;

/**
 * The seam between the command-line program and where the training steps run. The program
 * builds the model, the data, the training config and its listeners and hands them here:
 * {@link SparkBackend} runs the steps on a Spark cluster (or in Spark local mode),
 * {@link LocalBackend} in this JVM without Spark. Both run the core step loop
 * ({@link io.sparkprop.core.train.Trainer}), so the results agree.
 */
public interface TrainingBackend extends AutoCloseable {

  /** One line saying where training runs, e.g. "Spark local[*], 2 partitions". */
  String description();

  /**
   * Trains {@code model} in place on {@code train}, validating on {@code validation} (may be
   * null) after each epoch, calling {@code listeners} after the trainer's own.
   */
  History fit(TrainingConfig config, List<TrainingListener> listeners, Model model, DataSet train,
              DataSet validation);

  /** Releases the backend (stops the Spark session it started). */
  @Override
  void close();
}
