package io.sparkprop.spark.train;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.train.PartitionWorker;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Training or validation data converted and cached on the executors ({@link SparkTraining#blocks}):
 * the workers (one per partition, their samples in memory-mapped local files: {@link MappedSamples};
 * or, for small data, in a broadcast: {@link SmallData}), the sample count of each partition and
 * the total. Outside this package only its size and {@link #release()} are visible.
 */
public final class Blocks {
  private final int[] partitionSizes;
  private final long size;
  /** Small data's partitions as the driver holds them ({@link SmallData}), or null. */
  private final Local local;
  /** Whether {@link #local} may be trained in the driver thread ({@link DriverGradientSource}). */
  private final boolean driverSteps;
  private final JavaSparkContext jsc;
  private final String source;
  /** The broadcast small data's workers are built from; null until they are. */
  private Broadcast<DataSet[]> data;
  /** The cached workers; for small data null until a stage first needs them. */
  private JavaRDD<PartitionWorker> workers;

  Blocks(JavaRDD<PartitionWorker> workers, int[] partitionSizes, long size) {
    this.workers = workers;
    this.partitionSizes = partitionSizes;
    this.size = size;
    this.local = null;
    this.driverSteps = false;
    this.jsc = null;
    this.source = null;
  }

  /** Small data held by the driver; the executors' workers are built when first asked for. */
  Blocks(JavaSparkContext jsc, String source, Local local, int[] partitionSizes, long size, boolean driverSteps) {
    this.jsc = jsc;
    this.source = source;
    this.local = local;
    this.partitionSizes = partitionSizes;
    this.size = size;
    this.driverSteps = driverSteps;
  }

  /**
   * Small data's partitions as the driver holds them, with what builds their workers as the
   * executors do ({@link SmallData}'s rule).
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
    return driverSteps ? local : null;
  }

  /** The cached workers, one per partition (small data's are sent to the executors now if not yet). */
  JavaRDD<PartitionWorker> workers() {
    if (workers == null) {
      data = jsc.broadcast(local.parts());
      workers = SmallData.workers(jsc, data, local, source);
    }
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
    if (workers != null) {
      workers.unpersist(false);
    }
    if (data != null) {
      data.destroy();
    }
  }

  /** Whether these are small data held by the driver ({@link SmallData}). */
  boolean small() {
    return local != null;
  }
}
