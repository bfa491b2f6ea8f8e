package io.sparkprop.spark.train;

import io.sparkprop.core.data.DataException;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.metrics.MetricSums;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.train.Evaluator;
import io.sparkprop.core.train.GradientSource;
import io.sparkprop.spark.SparkOptions;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The public face of this package, for {@link io.sparkprop.spark.SparkTrainer} (another package),
 * the CLI and the benchmarks: rows to cached {@link Blocks}, a gradient source of a sync mode, a
 * validation evaluator. The classes behind it (the row format, the converter, the two gradient
 * sources, the evaluator, the channel) are package-private, so that a user of spark-driver sees
 * {@code SparkTrainer} and this small surface, not the machinery.
 */
public final class SparkTraining {
  /**
   * Spark setting (or driver-thread local property) {@code tcp} makes local mode use the barrier
   * mode's TCP channel too (to measure it and test it); {@code auto} (default): in-JVM in local
   * mode, TCP otherwise.
   */
  public static final String BARRIER_CHANNEL = BarrierGradientSource.CHANNEL;
  /**
   * Spark setting (or driver-thread local property) {@code false} makes the partitions send
   * embedding-table gradients as dense blocks instead of (row ids, rows); the sums are the same
   * floats either way. For measuring and testing the transport; default {@code true}.
   */
  public static final String SPARSE_GRADIENTS = StepResult.SPARSE;
  /**
   * Spark setting (session or application): data sets whose converted samples take at most this
   * many bytes (a size, default {@code 8m}; {@code 0}: never) are converted in one job and sent
   * to the tasks as a broadcast instead of through a shuffle and cached local files; the same
   * floats either way ({@link SmallData}).
   */
  public static final String SMALL_DATA_MAX_BYTES = SmallData.MAX_BYTES;
  /**
   * Spark setting (session or application): in local mode, small data's steps (and validation)
   * are computed in the driver thread with no Spark stage when samples x parameters are at most
   * 2^24 ({@link DriverGradientSource}); {@code false} keeps them on the executors.
   * The same floats either way.
   */
  public static final String SMALL_DATA_DRIVER_STEPS = DriverGradientSource.DRIVER_STEPS;

  private SparkTraining() {
  }

  /**
   * Checks the value of one of sparkprop's own Spark settings that has a type
   * ({@link #SMALL_DATA_MAX_BYTES}: a size; {@link #SMALL_DATA_DRIVER_STEPS}: a boolean), as
   * training will read it; other keys pass.
   *
   * @throws IllegalArgumentException naming the setting and what it expects
   */
  public static void checkSetting(String key, String value) {
    if (key.equals(SMALL_DATA_MAX_BYTES)) {
      SmallData.maxBytesSetting(value);
    } else if (key.equals(SMALL_DATA_DRIVER_STEPS)) {
      SmallData.driverStepsSetting(value);
    }
  }

  /**
   * Checks that {@code schema} has the two columns in types that fit {@code architecture} (token
   * ids when it starts with an {@link Embedding}, else a vector or numeric array of features; a
   * number or a vector/array label).
   *
   * @throws DataException naming {@code source} and the column otherwise
   */
  public static void checkColumns(StructType schema, String featuresCol, String labelCol, Sequential architecture,
                                  String source) {
    format(schema, featuresCol, labelCol, architecture, source);
  }

  /** As {@link #checkColumns(StructType, String, String, Sequential, String)}, and a number column {@code weightCol} (null: none). */
  public static void checkColumns(StructType schema, String featuresCol, String labelCol, String weightCol,
                                  Sequential architecture, String source) {
    format(schema, featuresCol, labelCol, architecture, source).withWeights(schema, weightCol, source);
  }

  /**
   * Converts {@code rows} (of {@code schema}) into {@code partitions} cached blocks for
   * {@code architecture} and {@code loss}, validated row by row, with worker seeds from
   * {@code seed}; see {@link BlockConverter}.
   *
   * @throws DataException naming {@code source}, the partition and row of the first bad value
   */
  public static Blocks blocks(JavaRDD<Row> rows, StructType schema, String featuresCol, String labelCol,
                              Sequential architecture, Loss loss, int partitions, long seed, String source) {
    return blocks(rows, schema, featuresCol, labelCol, null, architecture, loss, partitions, seed, source);
  }

  /**
   * As {@link #blocks(JavaRDD, StructType, String, String, Sequential, Loss, int, long, String)}
   * with each sample weighted by the number column {@code weightCol} (null: every sample weighs 1).
   */
  public static Blocks blocks(JavaRDD<Row> rows, StructType schema, String featuresCol, String labelCol,
                              String weightCol, Sequential architecture, Loss loss, int partitions, long seed,
                              String source) {
    RowFormat f = format(schema, featuresCol, labelCol, architecture, source).withWeights(schema, weightCol, source);
    return BlockConverter.convert(rows, f, architecture, loss, partitions, seed, source);
  }

  /**
   * As {@link #blocks(JavaRDD, StructType, String, String, String, Sequential, Loss, int, long, String)}
   * for the rows of {@code df}; small data ({@link #SMALL_DATA_MAX_BYTES}) is converted in one
   * job and broadcast, which gives the same partitions, samples and order.
   */
  public static Blocks blocks(Dataset<Row> df, String featuresCol, String labelCol, String weightCol,
                              Sequential architecture, Loss loss, int partitions, long seed, String source) {
    RowFormat f = format(df.schema(), featuresCol, labelCol, architecture, source)
        .withWeights(df.schema(), weightCol, source);
    long budget = SmallData.budget(df);
    Blocks b = budget > 0
        ? SmallData.collect(df, f, architecture, loss, partitions, seed, source, budget, SmallData.driverSteps(df))
        : null;
    return b != null ? b : BlockConverter.convert(BlockConverter.rows(df), f, architecture, loss, partitions, seed,
        source);
  }

  /**
   * The gradient source of {@code sync}: a Spark job per step for {@link SparkOptions.Sync#JOBS},
   * else one barrier stage per run (falling back to jobs where it cannot run).
   *
   * @param depth tree depth of the gradient sum; 0 chooses {@link #autoDepth}
   */
  public static GradientSource gradientSource(JavaSparkContext jsc, Blocks blocks, SparkOptions.Sync sync, int depth,
                                              int barrierTimeoutSeconds) {
    if (blocks.local() != null) { // small data in local mode: no stage at all (same floats, DriverGradientSource)
      return new DriverGradientSource(blocks, depth);
    }
    if (sync == SparkOptions.Sync.JOBS) {
      return new SparkGradientSource(jsc, blocks, depth);
    }
    return new BarrierGradientSource(jsc, blocks, depth, sync, barrierTimeoutSeconds);
  }

  /** Validation loss and metric sums over cached blocks, merged in partition order, as a Spark job. */
  public static Evaluator evaluator(JavaSparkContext jsc, Blocks blocks) {
    return new SparkEvaluator(jsc, blocks);
  }

  /**
   * The validation evaluator of a run trained by {@code source}: for a barrier-mode source its
   * running stage's tasks evaluate co-located validation blocks over the channel (the same sums,
   * merged in the same order), so the stage lasts the whole run; otherwise a job per evaluation.
   * Call before training starts.
   *
   * @param metrics empty metric sums of the kind the trainer fills ({@code MetricSums.forLoss});
   *     null: loss sums only
   */
  public static Evaluator evaluator(JavaSparkContext jsc, Blocks blocks, GradientSource source,
                                    MetricSums metrics) {
    if (source instanceof DriverGradientSource && blocks.local() != null) {
      return DriverGradientSource.evaluator(blocks);
    }
    return source instanceof BarrierGradientSource b ? b.evaluator(jsc, blocks, metrics)
        : new SparkEvaluator(jsc, blocks);
  }

  /** The tree depth of the gradient sum chosen for {@code partitions} partitions. */
  public static int autoDepth(int partitions) {
    return SparkGradientSource.autoDepth(partitions);
  }

  /** Steps a barrier-mode source ran as Spark jobs instead (0 for a jobs-mode source). */
  public static long jobSteps(GradientSource source) {
    return source instanceof BarrierGradientSource b ? b.jobSteps() : 0;
  }

  /**
   * The {@link DataException} thrown by a task, without Spark's wrapping (so the user reads
   * "training data, partition 1, row 3: ..."), or the Spark failure itself.
   */
  public static RuntimeException unwrap(Exception e, String source) {
    return BlockConverter.unwrap(e, source);
  }

  /** A model starting with an Embedding reads its features column as int token ids. */
  private static RowFormat format(StructType schema, String featuresCol, String labelCol, Sequential a,
                                  String source) {
    return RowFormat.of(schema, featuresCol, labelCol, a.inputShape().size(), a.outputShape().size(), source,
        a.layers().get(0) instanceof Embedding);
  }
}
