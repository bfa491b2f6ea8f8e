package io.sparkprop.spark.train;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.metrics.MetricSums;
import io.sparkprop.core.train.Evaluator;
import io.sparkprop.core.train.PartitionWorker;
import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.runtime.AbstractFunction2;

/**
 * Loss and accuracy sums of parameters over cached partitions (inference mode), as one job:
 * broadcast θ, every partition evaluates all its samples ({@link PartitionWorker#evaluate}) in one
 * pass, also filling its own metric sums when asked; the sums are merged on the driver in
 * partition order. Barrier mode's running tasks run the same per-partition code and merge
 * ({@link BarrierGradientSource#evaluator}).
 */
final class SparkEvaluator implements Evaluator {
  private final JavaSparkContext jsc;
  private final JavaRDD<PartitionWorker> workers;

  public SparkEvaluator(JavaSparkContext jsc, Blocks blocks) {
    this.jsc = jsc;
    this.workers = blocks.workers();
  }

  @Override
  public LossSums evaluate(float[] params) {
    return evaluate(params, null);
  }

  /** Loss sums, and {@code metrics} (may be null) merged from every partition's sums in partition order. */
  @Override
  public LossSums evaluate(float[] params, MetricSums metrics) {
    Broadcast<float[]> b = jsc.broadcast(params);
    try {
      MetricSums none = metrics == null ? null : metrics.empty();
      return merge(Jobs.run(jsc.sc(), workers.rdd(), new EvalTask(b, none), Links.Evaluation.class), metrics);
    } finally {
      b.destroy();
    }
  }

  /**
   * Partition {@code w}'s loss sums at {@code params}, and its metric sums into a copy of
   * {@code empty} (null: none). The code of both sync modes, so they compute the same sums.
   */
  static Links.Evaluation evaluate(PartitionWorker w, float[] params, MetricSums empty) {
    MetricSums m = empty == null ? null : empty.empty();
    synchronized (w) {
      return new Links.Evaluation(w.evaluate(params, m), m);
    }
  }

  /** The partitions' sums added in partition order, their metric sums merged into {@code metrics} (may be null). */
  static LossSums merge(java.util.List<Links.Evaluation> parts, MetricSums metrics) {
    LossSums total = LossSums.ZERO;
    for (Links.Evaluation s : parts) {
      total = total.plus(s.sums());
      if (metrics != null) {
        metrics.merge(s.metrics());
      }
    }
    return total;
  }

  /** One partition's sums (a plain class for {@code runJob}, see {@link Jobs}). */
  private static final class EvalTask
      extends AbstractFunction2<TaskContext, scala.collection.Iterator<PartitionWorker>, Links.Evaluation>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<float[]> params;
    private final MetricSums empty;

    EvalTask(Broadcast<float[]> params, MetricSums empty) {
      this.params = params;
      this.empty = empty;
    }

    @Override
    public Links.Evaluation apply(TaskContext context, scala.collection.Iterator<PartitionWorker> it) {
      return evaluate(it.next(), params.value(), empty);
    }
  }
}
