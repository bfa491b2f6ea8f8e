package io.sparkprop.spark.train;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.train.GradientSource;
import io.sparkprop.core.train.PartitionWorker;
import io.sparkprop.core.train.Timings;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Step gradients from cached Spark partitions. One step is one Spark job:
 * <ol>
 *   <li>broadcast the flat parameter vector θ;</li>
 *   <li>every partition {@code p} adds {@code Σ ∂loss/∂θ} over its slice of the step into its
 *       thread's buffer ({@link StepTask}) and returns it with the loss sums;</li>
 *   <li>the partitions' results are summed on the driver in partition order (depth 1, one
 *       {@code runJob} over the cached partitions, {@link Jobs}) or through a tree of shuffles
 *       ({@link OrderedTree}: the shape of {@code treeReduce} at depth {@link #autoDepth} unless
 *       configured, but adding in a fixed order); either way a re-run with the same partitioning
 *       is bit-identical;</li>
 *   <li>the old broadcast is destroyed; the trainer divides by the true sample count and takes
 *       the optimizer step.</li>
 * </ol>
 * {@link #timings()} splits the time: BROADCAST (creating and destroying the broadcast),
 * COMPUTE (per step, the longest partition's forward/backward time), AGGREGATE (the rest of the
 * job: scheduling, task launch, result serialisation, transfer and the sums).
 */
final class SparkGradientSource implements GradientSource {
  private final JavaSparkContext jsc;
  private final JavaRDD<PartitionWorker> workers;
  private final long size;
  private final int depth;
  private final Timings timings = new Timings();

  /**
   * A source over converted blocks.
   *
   * @param depth tree depth of the gradient sum; 0 chooses {@link #autoDepth} from the partition count
   */
  public SparkGradientSource(JavaSparkContext jsc, Blocks blocks, int depth) {
    this.jsc = jsc;
    this.workers = blocks.workers();
    this.size = blocks.size();
    this.depth = depth > 0 ? depth : autoDepth(blocks.partitions());
  }

  /**
   * The tree depth for {@code partitions} partitions: 1 (every partial result straight to
   * the driver) up to 16 partitions, 2 up to 256, then 3. An extra level costs a shuffle per
   * step, which only pays off when the driver would otherwise receive many gradients.
   */
  public static int autoDepth(int partitions) {
    return partitions <= 16 ? 1 : partitions <= 256 ? 2 : 3;
  }

  /** The tree depth in use (1: every partition's result goes straight to the driver). */
  public int depth() {
    return depth;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public LossSums gradient(float[] params, int epoch, int step, int steps, float[] grad) {
    long t0 = System.nanoTime();
    Broadcast<float[]> b = jsc.broadcast(params);
    long t1 = System.nanoTime();
    StepResult r;
    try {
      StepTask task = new StepTask(b, epoch, step, steps);
      List<StepResult> parts = depth == 1 ? Jobs.run(jsc.sc(), workers.rdd(), task, StepResult.class)
          : Jobs.collect(jsc.sc(), OrderedTree.levels(workers.mapPartitions(task), depth).rdd());
      r = OrderedTree.sumInOrder(parts);
    } finally {
      long t2 = System.nanoTime();
      b.destroy();
      long t3 = System.nanoTime();
      timings.add(Timings.Phase.BROADCAST, (t1 - t0) + (t3 - t2));
      timings.add(Timings.Phase.AGGREGATE, t2 - t1);
    }
    timings.add(Timings.Phase.COMPUTE, r.computeNanos());
    timings.add(Timings.Phase.AGGREGATE, -r.computeNanos());
    if (r.grad() == null) {
      Arrays.fill(grad, 0f);
    } else {
      System.arraycopy(r.grad(), 0, grad, 0, grad.length);
    }
    return r.sums();
  }

  @Override
  public Timings timings() {
    return timings;
  }
}
