package io.sparkprop.spark;

/**
 * The Spark side of distributed training. Immutable; {@code with...} methods return changed
 * copies. The defaults live in {@link #DEFAULTS} only.
 *
 * @param featuresCol      column holding each sample's features (vector or array of numbers)
 * @param labelCol         column holding the label (number: class index or target; or a vector)
 * @param partitions       partitions to train on; 0 = Spark's default parallelism (one per
 *                         executor core). Input with another partition count is redistributed
 *                         once, deterministically
 * @param aggregationDepth tree depth of the gradient sum (the shape of treeReduce's tree, added in a fixed order);
 *                         0 = chosen from the partition count (1 up to 16 partitions)
 * @param checkpointPath   Hadoop path of the checkpoint file (any file system); null = none
 * @param checkpointEvery  write a checkpoint every this many epochs (and after the last)
 * @param sync             how the driver and the partitions meet once per step ({@link Sync})
 * @param barrierTimeoutSeconds in {@link Sync#BARRIER} mode, how long the driver waits for a task's
 *                         answer (or for the stage's tasks to connect) before it fails the stage
 * @param weightCol        column of each training sample's weight (a number, finite and >= 0); null = every
 *                         sample weighs 1. A weight multiplies the sample's loss and gradient and the step
 *                         divides by the total weight, as in the single-JVM trainer; validation is unweighted
 */
public record SparkOptions(String featuresCol, String labelCol, int partitions, int aggregationDepth,
                           String checkpointPath, int checkpointEvery, Sync sync, int barrierTimeoutSeconds,
                           String weightCol) {

  /**
   * Columns "features" and "label", one partition per core, automatic depth, no checkpoints,
   * {@link Sync#AUTO}, 120 s barrier timeout.
   */
  public static final SparkOptions DEFAULTS = new SparkOptions("features", "label", 0, 0, null, 1, Sync.AUTO, 120,
      null);

  /** Without a weight column (the form before weights existed). */
  public SparkOptions(String featuresCol, String labelCol, int partitions, int aggregationDepth,
                      String checkpointPath, int checkpointEvery, Sync sync, int barrierTimeoutSeconds) {
    this(featuresCol, labelCol, partitions, aggregationDepth, checkpointPath, checkpointEvery, sync,
        barrierTimeoutSeconds, null);
  }

  /** How a step's parameters reach the partitions and their gradients come back. */
  public enum Sync {
    /**
     * One Spark job per step (broadcast θ, one task per partition, results summed in a fixed
     * order). Works everywhere; costs Spark's job overhead (10-70 ms in local mode, over 100 ms
     * on a cluster) per step.
     */
    JOBS,
    /**
     * One barrier-mode stage per run whose tasks stay up and exchange θ, gradients and validation sums with the
     * driver over a channel of their own (in the driver's JVM in local mode, else TCP,
     * authenticated per run, and encrypted with AES-GCM when {@code spark.network.crypto.enabled}
     * or {@code spark.authenticate.enableSaslEncryption} is on, with the key length of
     * {@code spark.network.crypto.keyLength}). Same sums in the same order as {@link #JOBS}, hence
     * bit-identical results. Needs a free task slot per partition and no dynamic allocation; falls
     * back to {@link #JOBS} (logging why) when a stage cannot be scheduled or a stage is lost.
     * Refuses to start when encryption is on with a key length other than 128, 192 or 256.
     */
    BARRIER,
    /**
     * {@link #BARRIER} where it can run, else {@link #JOBS} with a logged reason (including a bad
     * {@code spark.network.crypto.keyLength}). The Spark setting {@code spark.sparkprop.sync}
     * ({@code jobs}, {@code barrier}) overrides it, so that spark-submit users can choose without
     * code.
     */
    AUTO
  }

  public SparkOptions {
    if (featuresCol == null || featuresCol.isEmpty() || labelCol == null || labelCol.isEmpty()) {
      throw new IllegalArgumentException("spark options: featuresCol and labelCol must be column names");
    }
    if (partitions < 0) {
      throw new IllegalArgumentException("spark options: partitions must be >= 0 (0 = one per core), got "
          + partitions);
    }
    if (aggregationDepth < 0) {
      throw new IllegalArgumentException("spark options: aggregationDepth must be >= 0 (0 = automatic), got "
          + aggregationDepth);
    }
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("spark options: checkpointEvery must be >= 1 epoch, got " + checkpointEvery);
    }
    if (sync == null) {
      throw new IllegalArgumentException("spark options: sync must be one of jobs, barrier, auto");
    }
    if (barrierTimeoutSeconds < 1) {
      throw new IllegalArgumentException("spark options: barrierTimeoutSeconds must be >= 1, got "
          + barrierTimeoutSeconds);
    }
    if (weightCol != null && weightCol.isEmpty()) {
      throw new IllegalArgumentException("spark options: weightCol must be a column name or null (no weights)");
    }
  }

  public SparkOptions withColumns(String features, String label) {
    return new SparkOptions(features, label, partitions, aggregationDepth, checkpointPath, checkpointEvery, sync,
        barrierTimeoutSeconds, weightCol);
  }

  public SparkOptions withPartitions(int p) {
    return new SparkOptions(featuresCol, labelCol, p, aggregationDepth, checkpointPath, checkpointEvery, sync,
        barrierTimeoutSeconds, weightCol);
  }

  public SparkOptions withAggregationDepth(int d) {
    return new SparkOptions(featuresCol, labelCol, partitions, d, checkpointPath, checkpointEvery, sync,
        barrierTimeoutSeconds, weightCol);
  }

  /** Checkpoints to {@code path} every {@code every} epochs and after the last. */
  public SparkOptions withCheckpoints(String path, int every) {
    return new SparkOptions(featuresCol, labelCol, partitions, aggregationDepth, path, every, sync,
        barrierTimeoutSeconds, weightCol);
  }

  /** The synchronisation mode. */
  public SparkOptions withSync(Sync s) {
    return new SparkOptions(featuresCol, labelCol, partitions, aggregationDepth, checkpointPath, checkpointEvery, s,
        barrierTimeoutSeconds, weightCol);
  }

  /** How long a barrier stage's driver waits for a task before failing the stage. */
  public SparkOptions withBarrierTimeout(int seconds) {
    return new SparkOptions(featuresCol, labelCol, partitions, aggregationDepth, checkpointPath, checkpointEvery,
        sync, seconds, weightCol);
  }

  /** Weights each training sample by column {@code col} (null: no weights). */
  public SparkOptions withWeightCol(String col) {
    return new SparkOptions(featuresCol, labelCol, partitions, aggregationDepth, checkpointPath, checkpointEvery,
        sync, barrierTimeoutSeconds, col);
  }
}
