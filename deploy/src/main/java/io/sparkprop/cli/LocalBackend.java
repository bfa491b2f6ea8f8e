package io.sparkprop.cli;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.core.tensor.Shape;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Training in this JVM with the core single-JVM trainer (no Spark steps): {@code --backend local}.
 * The data is still read with Spark (local mode) and collected here.
 */
public final class LocalBackend implements TrainingBackend {

  private final io.sparkprop.core.metrics.MetricOptions metrics;

  /** Default metric settings. */
  public LocalBackend() {
    this(io.sparkprop.core.metrics.MetricOptions.DEFAULTS);
  }

  /** With the validation metrics' settings. */
  public LocalBackend(io.sparkprop.core.metrics.MetricOptions metrics) {
    this.metrics = metrics;
  }

  @Override
  public String description() {
    return "this JVM (no Spark, one partition)";
  }

  @Override
  public History fit(TrainingConfig config, List<TrainingListener> listeners, Model model, DataSet train,
                     DataSet validation) {
    Trainer trainer = new Trainer(config).withMetricOptions(metrics);
    for (TrainingListener l : listeners) {
      trainer.addListener(l);
    }
    return trainer.fit(model, train, validation);
  }

  /** Collects both frames into this JVM (the single-JVM path) and trains on them. */
  @Override
  public History fit(TrainingConfig config, List<TrainingListener> listeners, Model model, Dataset<Row> train,
                     Dataset<Row> validation) {
    Shape shape = model.architecture().inputShape();
    return fit(config, listeners, model, Inputs.collect(train, shape, "training data"),
        Inputs.collect(validation, shape, "validation data"));
  }

  @Override
  public void close() {
  }
}
