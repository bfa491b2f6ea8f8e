package io.sparkprop.spark;

import io.sparkprop.core.io.Json;
import io.sparkprop.core.metrics.MetricOptions;
import io.sparkprop.core.metrics.MetricSums;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.OptimizerState;
import io.sparkprop.core.train.Evaluator;
import io.sparkprop.core.train.GradientSource;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.core.train.TrainingState;
import io.sparkprop.spark.checkpoint.Checkpoint;
import io.sparkprop.spark.checkpoint.CheckpointListener;
import io.sparkprop.spark.checkpoint.HadoopCheckpoints;
import io.sparkprop.spark.data.Columns;
import io.sparkprop.spark.train.Blocks;
import io.sparkprop.spark.train.SparkTraining;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.LabeledPoint;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a model data-parallel on Spark with synchronous steps. The rows are converted once into
 * cached float blocks (validated first: feature length, finite values, label range, empty data;
 * the messages name the partition and row; a DataFrame of a few MB is converted in one job and
 * broadcast, {@link SparkTraining#SMALL_DATA_MAX_BYTES}, with the same result), then core's {@link Trainer} runs its loop unchanged
 * with a gradient source of the configured {@link SparkOptions.Sync} mode (jobs: one Spark job per
 * step, broadcast θ, gradients per partition, tree sum in a fixed order; barrier: one barrier
 * stage per run exchanging θ, gradients and validation sums over its own channel, the same sums) and an evaluator
 * for the validation metrics, all from {@link SparkTraining}. Listeners,
 * schedules, early stopping, divergence stop and the epoch log are the trainer's; checkpoints
 * go to any Hadoop path ({@link SparkOptions#withCheckpoints}) and {@link #resume} continues
 * one bit-identically.
 *
 * <pre>{@code
 * SparkTrainer t = new SparkTrainer(TrainingConfig.DEFAULTS.withEpochs(20).withBatchSize(128),
 *     SparkOptions.DEFAULTS.withCheckpoints("hdfs:///runs/mnist/checkpoint", 5));
 * History h = t.fit(model, trainDf, testDf);
 * }</pre>
 */
public final class SparkTrainer {
  private static final Logger LOG = LoggerFactory.getLogger("sparkprop");
  /**
   * The run's setup line (partitions, sync mode) on the class's logger, not on "sparkprop": the CLI
   * mutes "sparkprop" (it prints the epoch lines itself) but shows io.sparkprop at info, and a
   * user must see which sync mode ran.
   */
  private static final Logger SETUP_LOG = LoggerFactory.getLogger(SparkTrainer.class);
  private final TrainingConfig config;
  private final SparkOptions options;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private MetricOptions metricOptions = MetricOptions.DEFAULTS;

  public SparkTrainer(TrainingConfig config, SparkOptions options) {
    this.config = config;
    this.options = options;
  }

  public TrainingConfig config() {
    return config;
  }

  public SparkOptions options() {
    return options;
  }

  /** The settings of the validation metrics (top-k's k, AUC bins); returns this trainer. */
  public SparkTrainer withMetricOptions(MetricOptions options) {
    this.metricOptions = options;
    return this;
  }

  /** Adds a callback (after the epoch logger and the checkpoint writer); returns this trainer. */
  public SparkTrainer addListener(TrainingListener l) {
    listeners.add(l);
    return this;
  }

  /**
   * Trains {@code model} in place on {@code train}, reporting validation metrics on
   * {@code validation} (may be null) after every epoch, both with the columns of the options.
   */
  public History fit(Model model, Dataset<Row> train, Dataset<Row> validation) {
    return run(model, train, validation, null);
  }

  /** Trains on labeled points: features as given, the label a class index or scalar target. */
  public History fit(Model model, JavaRDD<LabeledPoint> train, JavaRDD<LabeledPoint> validation) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(train.context());
    StructType schema = new StructType().add(options.featuresCol(), SQLDataTypes.VectorType())
        .add(options.labelCol(), DataTypes.DoubleType);
    Input t = new Input(null, train.map(p -> RowFactory.create(p.features(), p.label())), schema, null);
    Input v = validation == null ? null
        : new Input(null, validation.map(p -> RowFactory.create(p.features(), p.label())), schema, null);
    return run(jsc, model, t, v, null);
  }

  /**
   * Continues the run saved in {@code checkpoint} on the same data: loads the parameters into
   * {@code model} and the optimizer state, epoch, step, history and schedule state, then trains
   * up to the configured number of epochs. With the same config, data and partitioning the
   * result is bit-identical to a run that was never interrupted.
   *
   * @throws IllegalArgumentException when the checkpoint is of another architecture, seed or
   *     optimizer
   */
  public History resume(String checkpoint, Model model, Dataset<Row> train, Dataset<Row> validation) {
    Checkpoint c = HadoopCheckpoints.readLatest(train.sparkSession().sparkContext().hadoopConfiguration(), checkpoint)
        .checkpoint();
    String arch = Json.toJson(model.architecture());
    if (!c.architectureJson().equals(arch)) {
      throw new IllegalArgumentException("checkpoint " + checkpoint + " is of another architecture: "
          + c.architectureJson() + ", the model is " + arch);
    }
    if (c.seed() != config.seed()) {
      throw new IllegalArgumentException("checkpoint " + checkpoint + " was written with seed " + c.seed()
          + " but the config's seed is " + config.seed() + "; shuffles would differ from the interrupted run");
    }
    OptimizerState o = c.state().optimizer();
    if (o.slotCount() != config.optimizer().slots() || c.params().length != model.params().length) {
      throw new IllegalArgumentException("checkpoint " + checkpoint + " holds " + o.slotCount()
          + " optimizer slots and " + c.params().length + " parameters; the config's optimizer needs "
          + config.optimizer().slots() + " and the model has " + model.params().length);
    }
    System.arraycopy(c.params(), 0, model.params(), 0, c.params().length);
    LOG.info("resuming from {} after epoch {} (global step {})", checkpoint, c.state().completedEpochs(),
        c.state().globalStep());
    return run(model, train, validation, c.state());
  }

  private History run(Model model, Dataset<Row> train, Dataset<Row> validation, TrainingState resume) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(train.sparkSession().sparkContext());
    return run(jsc, model, input(model, train, "training data", options.weightCol()),
        validation == null ? null : input(model, validation, "validation data", null), resume);
  }

  /**
   * The two columns of {@code df} (three with a weight column), checked against the model first
   * for a clear message.
   */
  private Input input(Model model, Dataset<Row> df, String source, String weightCol) {
    SparkTraining.checkColumns(df.schema(), options.featuresCol(), options.labelCol(), weightCol,
        model.architecture(), source);
    Dataset<Row> cols = weightCol == null
        ? df.select(Columns.col(options.featuresCol()), Columns.col(options.labelCol()))
        : df.select(Columns.col(options.featuresCol()), Columns.col(options.labelCol()), Columns.col(weightCol));
    return new Input(cols, null, cols.schema(), weightCol);
  }

  private History run(JavaSparkContext jsc, Model model, Input train, Input validation, TrainingState resume) {
    Sequential a = model.architecture();
    int parts = options.partitions() > 0 ? options.partitions() : jsc.defaultParallelism();
    SparkOptions.Sync sync = sync(jsc);
    Blocks trainBlocks = null;
    Blocks valBlocks = null;
    try {
      trainBlocks = train.blocks(options, model, parts, config.seed(), "training data");
      if (validation != null) {
        valBlocks = validation.blocks(options, model, parts, config.seed(), "validation data");
      }
      Trainer trainer = new Trainer(config).withMetricOptions(metricOptions);
      if (options.checkpointPath() != null) {
        trainer.addListener(new CheckpointListener(jsc.hadoopConfiguration(), options.checkpointPath(),
            options.checkpointEvery(), config.seed(), Json.toJson(a)));
      }
      for (TrainingListener l : listeners) {
        trainer.addListener(l);
      }
      try (GradientSource source = source(jsc, trainBlocks, sync)) {
        Evaluator eval = valBlocks == null ? null : SparkTraining.evaluator(jsc, valBlocks, source,
            MetricSums.forLoss(model.loss(), model.outputSize(), metricOptions));
        SETUP_LOG.info("training on {} samples in {} partitions, sync {}, aggregation depth {}, {} parameters",
            trainBlocks.size(), trainBlocks.partitions(), sync.name().toLowerCase(java.util.Locale.ROOT),
            options.aggregationDepth() > 0 ? options.aggregationDepth()
                : SparkTraining.autoDepth(trainBlocks.partitions()), model.params().length);
        return trainer.fit(model, source, eval, resume);
      }
    } finally {
      if (trainBlocks != null) {
        trainBlocks.release();
      }
      if (valBlocks != null) {
        valBlocks.release();
      }
    }
  }

  /** Spark setting that picks the sync mode where the options leave it at {@code auto} (spark-submit users). */
  public static final String SYNC_SETTING = "spark.sparkprop.sync";

  /** The configured sync mode: the options', or where they say auto the Spark setting {@link #SYNC_SETTING}. */
  private SparkOptions.Sync sync(JavaSparkContext jsc) {
    String s = jsc.getConf().get(SYNC_SETTING, "auto").trim().toUpperCase(java.util.Locale.ROOT);
    if (options.sync() != SparkOptions.Sync.AUTO) {
      return options.sync();
    }
    try {
      return SparkOptions.Sync.valueOf(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(SYNC_SETTING + " must be jobs, barrier or auto, got "
          + jsc.getConf().get(SYNC_SETTING), e);
    }
  }

  /** The gradient source of the configured sync mode. */
  private GradientSource source(JavaSparkContext jsc, Blocks blocks, SparkOptions.Sync sync) {
    return SparkTraining.gradientSource(jsc, blocks, sync, options.aggregationDepth(), options.barrierTimeoutSeconds());
  }

  /**
   * The two columns (and the weights): a DataFrame of them ({@code rows} null; small data takes a
   * shorter way, {@link SparkTraining#SMALL_DATA_MAX_BYTES}) or rows, and their schema.
   */
  private record Input(Dataset<Row> df, JavaRDD<Row> rows, StructType schema, String weightCol) {
    Blocks blocks(SparkOptions o, Model model, int partitions, long seed, String source) {
      return df != null
          ? SparkTraining.blocks(df, o.featuresCol(), o.labelCol(), weightCol, model.architecture(), model.loss(),
              partitions, seed, source)
          : SparkTraining.blocks(rows, schema, o.featuresCol(), o.labelCol(), weightCol, model.architecture(),
              model.loss(), partitions, seed, source);
    }
  }
}
