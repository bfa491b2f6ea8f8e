package io.sparkprop.cli;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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

  /**
   * Trains {@code model} in place on DataFrames of {@code features} (vector) and {@code label}
   * (the main path: Spark reads and converts them on the executors).
   */
  History fit(TrainingConfig config, List<TrainingListener> listeners, Model model, Dataset<Row> train,
              Dataset<Row> validation);

  /** Releases what the backend holds (not the Spark session, which its command owns). */
  @Override
  void close();
}
