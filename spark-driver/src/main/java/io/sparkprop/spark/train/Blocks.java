package io.sparkprop.spark.train;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.train.PartitionWorker;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;

/**
 * Training or validation data converted and cached on the executors ({@link SparkTraining#blocks}):
 * the workers (one per partition, their samples in memory-mapped local files: {@link MappedSamples};
 * or, for small data, in a broadcast: {@link SmallData}), the sample count of each partition and
 * the total. Outside this package only its size and {@link #release()} are visible.
 */
public final class Blocks {
  private final JavaRDD<PartitionWorker> workers;
  private final int[] partitionSizes;
  private final long size;
  /** The samples the workers are built from (small data), or null. */
  private final Broadcast<?> data;
  /** The driver's own copy of the small data's partitions, for steps in the driver thread; or null. */
  private final Local local;

  Blocks(JavaRDD<PartitionWorker> workers, int[] partitionSizes, long size) {
    this(workers, partitionSizes, size, null, null);
  }

  Blocks(JavaRDD<PartitionWorker> workers, int[] partitionSizes, long size, Broadcast<?> data, Local local) {
    this.workers = workers;
    this.partitionSizes = partitionSizes;
    this.size = size;
    this.data = data;
    this.local = local;
  }

  /**
   * Small data's partitions as the driver holds them, with what builds their workers as the
   * executors do ({@link SmallData}'s rule); kept only where steps may run in the driver thread
   * ({@link DriverGradientSource}).
   */
  record Local(DataSet[] parts, Sequential arch, Loss loss, long seed) {
    /** One worker per partition, built from the same samples, partition index and seed as on the executors. */
    PartitionWorker[] workers() {
      PartitionWorker[] w = new PartitionWorker[parts.length];
      for (int p = 0; p < parts.length; p++) {
        w[p] = new PartitionWorker(arch, loss, parts[p], p, seed);
      }
      return w;
    }

    /** The model's parameter count. */
    int parameters() {
      return arch.paramCount();
    }
  }

  /** The driver-side partitions when steps may run in the driver thread, else null. */
  Local local() {
    return local;
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

  /**
   * Drops the cached workers (their mapped files, already unlinked, go when the mappings are
   * collected) and the broadcast of small data.
   */
  public void release() {
    workers.unpersist(false);
    if (data != null) {
      data.destroy();
    }
  }

  /** Whether the workers are built from a broadcast of small data ({@link SmallData}). */
  boolean small() {
    return data != null;
  }
}
