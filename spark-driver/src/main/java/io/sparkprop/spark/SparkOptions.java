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
 * @param aggregationDepth tree depth of the gradient sum (as treeAggregate's); 0 = chosen from the partition
 *                         count (1 up to 16 partitions)
 * @param checkpointPath   Hadoop path of the checkpoint file (any file system); null = none
 * @param checkpointEvery  write a checkpoint every this many epochs (and after the last)
 */
public record SparkOptions(String featuresCol, String labelCol, int partitions, int aggregationDepth,
                           String checkpointPath, int checkpointEvery) {

  /** Columns "features" and "label", one partition per core, automatic depth, no checkpoints. */
  public static final SparkOptions DEFAULTS = new SparkOptions("features", "label", 0, 0, null, 1);

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
  }

  public SparkOptions withColumns(String features, String label) {
    return new SparkOptions(features, label, partitions, aggregationDepth, checkpointPath, checkpointEvery);
  }

  public SparkOptions withPartitions(int p) {
    return new SparkOptions(featuresCol, labelCol, p, aggregationDepth, checkpointPath, checkpointEvery);
  }

  public SparkOptions withAggregationDepth(int d) {
    return new SparkOptions(featuresCol, labelCol, partitions, d, checkpointPath, checkpointEvery);
  }

  /** Checkpoints to {@code path} every {@code every} epochs and after the last. */
  public SparkOptions withCheckpoints(String path, int every) {
    return new SparkOptions(featuresCol, labelCol, partitions, aggregationDepth, path, every);
  }
}
