package io.sparkprop.spark.train;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.metrics.MetricSums;
import io.sparkprop.core.train.Evaluator;
import io.sparkprop.core.train.GradientSource;
import io.sparkprop.core.train.PartitionWorker;
import io.sparkprop.core.train.Timings;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step gradients computed in the driver thread, with no Spark job or stage: for small data in
 * local mode ({@link Blocks#local()}), where the driver already holds every partition's samples.
 * One {@link PartitionWorker} per partition is built on the driver from the same samples, seed
 * and partition index as the executors' workers; every step each worker adds its slice into its
 * own zeroed result ({@link StepTask#compute}, the code of both sync modes) and the results are
 * summed by {@link BarrierSums} (partition order, or {@link OrderedTree}'s tree for the same
 * depth), so every float equals jobs and barrier mode's. Validation ({@link #evaluator}) runs the
 * validation job's per-partition code ({@link SparkEvaluator#evaluate}) and merge.
 *
 * <p>Why: on a small table a step computes in microseconds, and the barrier stage's hand-off of
 * θ to the task threads and back (and its start: building the executors' workers, launching the
 * stage) costs more than the partitions' work run one after the other. When: local mode, the
 * small-data path, the Spark setting {@value #DRIVER_STEPS} not {@code false}, and samples x
 * parameters at most {@value #MAX_WORK} (2^24): a step's work is at most an epoch's, about 3
 * multiply-adds per sample and parameter. Measured in {@code local[2]} on 2 cores (a throwaway
 * sweep of 10-epoch fits of a digits-sized table, 1,347 rows, 64-h-10 networks, this setting on
 * and off, medians): the driver thread took 0.48-0.56 of the barrier stage's time at h = 64 and
 * 128 (6.5M and 12.9M), 0.50 and 0.75 at h = 256 (25.9M; batch 64, 256), 0.77 and 1.05 at
 * h = 512 (51.7M). Wine-sized (133 x 547: 73K) and digits-sized (6.5M) tables take it; four
 * times digits' hidden layer keeps the parallel stage. With P task slots the stage saves a share
 * 1 - 1/P of the compute but none of its fixed costs, so from 2 slots to many the break-even
 * work falls by at most half (about 50M to 25M here), still above this bound.
 */
final class DriverGradientSource implements GradientSource {
  private static final Logger LOG = LoggerFactory.getLogger(DriverGradientSource.class);
  /** Spark setting (session or application): {@code false} keeps small data's steps on the executors. */
  static final String DRIVER_STEPS = "spark.sparkprop.smallData.driverSteps";
  /** The most samples x parameters (of training or validation data) computed in the driver thread. */
  static final long MAX_WORK = 1L << 24;
  private final PartitionWorker[] workers;
  /** Each partition's reused result buffer. */
  private final StepResult[] results;
  /** An empty slice's answer: zero sums, no gradient (what a barrier task sends). */
  private final StepResult none = new StepResult();
  private final BarrierSums sums;
  private final long size;
  private final Timings timings = new Timings();
  private long steps;

  /**
   * A source over {@code blocks}' driver-side samples.
   *
   * @param depth tree depth of the gradient sum; 0 chooses {@link SparkGradientSource#autoDepth}
   * @throws IllegalArgumentException when {@code blocks} holds no driver-side samples
   */
  DriverGradientSource(Blocks blocks, int depth) {
    Blocks.Local local = blocks.local();
    if (local == null) {
      throw new IllegalArgumentException("driver steps need small data in local mode (no driver-side samples)");
    }
    this.workers = local.workers();
    this.results = new StepResult[workers.length];
    for (int p = 0; p < workers.length; p++) {
      results[p] = new StepResult();
    }
    int d = depth > 0 ? depth : SparkGradientSource.autoDepth(workers.length);
    this.sums = new BarrierSums(workers.length, d);
    this.size = blocks.size();
    LOG.info("training steps computed in the driver thread, no Spark stage (local mode, small data: {} samples x {}"
            + " parameters <= {}; {}=false runs them on the executors)", size, local.parameters(), MAX_WORK,
        DRIVER_STEPS);
  }

  /** Whether {@code samples} samples of a model of {@code parameters} floats are small enough ({@link #MAX_WORK}). */
  static boolean fits(long samples, int parameters) {
    return samples * (long) parameters <= MAX_WORK;
  }

  /** Steps computed so far (diagnostics). */
  long steps() {
    return steps;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public Timings timings() {
    return timings;
  }

  @Override
  public LossSums gradient(float[] params, int epoch, int step, int steps, float[] grad) {
    long t0 = System.nanoTime();
    StepResult[] parts = sums.parts();
    for (int p = 0; p < workers.length; p++) {
      parts[p] = StepTask.compute(workers[p], params, epoch, step, steps, results[p]) ? results[p] : none;
    }
    long t1 = System.nanoTime();
    LossSums s = sums.sum(grad);
    timings.add(Timings.Phase.COMPUTE, t1 - t0);
    timings.add(Timings.Phase.AGGREGATE, System.nanoTime() - t1);
    this.steps++;
    return s;
  }

  /**
   * Validation sums over {@code blocks} in the driver thread, the validation job's code and merge
   * (the same floats); null when {@code blocks} holds no driver-side samples.
   */
  static Evaluator evaluator(Blocks blocks) {
    Blocks.Local local = blocks.local();
    if (local == null) {
      return null;
    }
    PartitionWorker[] workers = local.workers();
    return Evaluator.withMetrics((params, metrics) -> {
      List<Links.Evaluation> parts = new ArrayList<>(workers.length); // once an epoch, not per step
      MetricSums none = metrics == null ? null : metrics.empty();
      for (PartitionWorker w : workers) {
        parts.add(SparkEvaluator.evaluate(w, params, none));
      }
      return SparkEvaluator.merge(parts, metrics);
    });
  }
}
