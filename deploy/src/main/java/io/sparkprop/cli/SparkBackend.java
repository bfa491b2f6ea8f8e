package io.sparkprop.cli;

import io.sparkprop.cli.config.SparkSpec;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.spark.SparkOptions;
import io.sparkprop.spark.SparkTrainer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Training on Spark with the distributed {@link SparkTrainer}: the DataFrames the executors read
 * are converted there into {@code spark.partitions} cached blocks (default: one per core), and
 * the partitions meet the driver once per step as {@code spark.sync} says (one Spark job per step,
 * or one barrier stage per run; the trainer logs which ran). Checkpoints and resuming are the Spark trainer's (any
 * Hadoop path).
 */
final class SparkBackend implements TrainingBackend {
  private final SparkSessions.Session session;
  private final SparkSpec spec;
  private final Checkpoints checkpoints;
  private final io.sparkprop.core.metrics.MetricOptions metrics;
  private final List<Broadcast<Samples>> broadcasts = new ArrayList<>();

  SparkBackend(SparkSessions.Session session, SparkSpec spec, Checkpoints checkpoints) {
    this(session, spec, checkpoints, io.sparkprop.core.metrics.MetricOptions.DEFAULTS);
  }

  SparkBackend(SparkSessions.Session session, SparkSpec spec, Checkpoints checkpoints,
               io.sparkprop.core.metrics.MetricOptions metrics) {
    this.metrics = metrics;
    this.session = session;
    this.spec = spec;
    this.checkpoints = checkpoints;
  }

  /** Training partitions: the config's, or Spark's default parallelism. */
  int partitions() {
    return spec.partitions() > 0 ? spec.partitions() : session.spark().sparkContext().defaultParallelism();
  }

  @Override
  public String description() {
    SparkSession s = session.spark();
    return String.format(Locale.ROOT, "Spark %s, master %s, %d partitions, sync %s", s.version(),
        s.sparkContext().master(), partitions(), spec.sync());
  }

  @Override
  public History fit(TrainingConfig config, List<TrainingListener> listeners, Model model, DataSet train,
                     DataSet validation) {
    int parts = partitions();
    Dataset<Row> t = frame(train, parts);
    Dataset<Row> v = validation == null ? null : frame(validation, parts);
    return fit(config, listeners, model, t, v);
  }

  /** Trains on the frames as read by the executors: the trainer converts them into cached blocks there. */
  @Override
  public History fit(TrainingConfig config, List<TrainingListener> listeners, Model model, Dataset<Row> train,
                     Dataset<Row> validation) {
    SparkOptions options = SparkOptions.DEFAULTS.withPartitions(partitions()).withSync(spec.syncMode())
        .withWeightCol(Inputs.weighted(train) ? Inputs.WEIGHT : null);
    if (checkpoints.path() != null) {
      options = options.withCheckpoints(checkpoints.path(), checkpoints.every());
    }
    SparkTrainer trainer = new SparkTrainer(config, options).withMetricOptions(metrics);
    for (TrainingListener l : listeners) {
      trainer.addListener(l);
    }
    return checkpoints.resumeFrom() != null ? trainer.resume(checkpoints.resumeFrom(), model, train, validation)
        : trainer.fit(model, train, validation);
  }

  /**
   * {@code d} (samples already in this JVM: lr-find's) as a DataFrame of ({@code features}: ML vector, {@code label}: double, or a vector
   * when a label has several values, and {@code weight} when {@code d} has sample weights) in
   * {@code parts} partitions of consecutive samples. The
   * samples travel once, as a broadcast that each partition slices; the partitions themselves
   * hold only their index (parallelising the rows would put them into every task of every step,
   * since a cached RDD's tasks still carry their source partitions).
   */
  Dataset<Row> frame(DataSet d, int parts) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session.spark().sparkContext());
    Broadcast<Samples> data = jsc.broadcast(new Samples(d.features(), d.labels(), d.weights(), d.size(),
        d.featureSize(), d.labelWidth()));
    broadcasts.add(data);
    List<Integer> index = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      index.add(p);
    }
    JavaRDD<Row> rows = jsc.parallelize(index, parts).flatMap(new SliceRows(data, parts));
    DataType labelType = d.labelWidth() == 1 ? DataTypes.DoubleType : SQLDataTypes.VectorType();
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", labelType);
    return session.spark().createDataFrame(rows, d.weights() == null ? schema
        : schema.add(Inputs.WEIGHT, DataTypes.DoubleType)); // sample weights travel as a column
  }

  /** The arrays of a data set, as shipped to the executors. */
  private record Samples(float[] features, float[] labels, float[] weights, int size, int featureSize,
                         int labelWidth)
      implements java.io.Serializable {
  }

  /** Partition {@code p} of {@code parts}: the rows {@code [floor(p·n/parts), floor((p+1)·n/parts))}. */
  private record SliceRows(Broadcast<Samples> data, int parts) implements FlatMapFunction<Integer, Row> {
    @Override
    public Iterator<Row> call(Integer p) {
      Samples d = data.value();
      int n = d.size();
      int from = (int) ((long) p * n / parts);
      int to = (int) ((long) (p + 1) * n / parts);
      int f = d.featureSize();
      int w = d.labelWidth();
      List<Row> out = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        double[] x = new double[f];
        for (int j = 0; j < f; j++) {
          x[j] = d.features()[i * f + j];
        }
        Object label;
        if (w == 1) {
          label = (double) d.labels()[i];
        } else {
          double[] y = new double[w];
          for (int j = 0; j < w; j++) {
            y[j] = d.labels()[i * w + j];
          }
          label = Vectors.dense(y);
        }
        out.add(d.weights() == null ? RowFactory.create(Vectors.dense(x), label)
            : RowFactory.create(Vectors.dense(x), label, (double) d.weights()[i]));
      }
      return out.iterator();
    }
  }

  @Override
  public void close() {
    for (Broadcast<Samples> b : broadcasts) {
      b.destroy();
    }
    broadcasts.clear();
  }
}
