package io.sparkprop.spark.train;

import io.sparkprop.core.train.PartitionWorker;
import org.apache.spark.api.java.JavaRDD;

/**
 * Training or validation data converted and cached on the executors ({@link SparkTraining#blocks}):
 * the workers (one per partition, their samples in memory-mapped local files: {@link MappedSamples}),
 * the sample count of each partition and the total. Outside this package only its size and
 * {@link #release()} are visible.
 */
public final class Blocks {
  private final JavaRDD<PartitionWorker> workers;
  private final int[] partitionSizes;
  private final long size;

  Blocks(JavaRDD<PartitionWorker> workers, int[] partitionSizes, long size) {
    this.workers = workers;
    this.partitionSizes = partitionSizes;
    this.size = size;
  }

  /** The cached workers, one per partition. */
  JavaRDD<PartitionWorker> workers() {
    return workers;
  }

  /** Samples in each partition, in partition order. */
  int[] partitionSizes() {
    return partitionSizes;
  }

  /** Number of samples. */
  public long size() {
    return size;
  }

  /** Number of partitions. */
  public int partitions() {
    return partitionSizes.length;
  }

  /** Drops the cached workers; their mapped files (already unlinked) go when the mappings are collected. */
  public void release() {
    workers.unpersist(false);
  }
}
