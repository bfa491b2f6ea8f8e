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
 * Loss and accuracy sums of parameters over cached partitions (inference mode): broadcast θ,
 * every partition evaluates all its samples ({@link PartitionWorker#evaluate}) in one pass, also
 * filling its own metric sums when asked; the sums are merged on the driver in partition order.
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
      LossSums total = LossSums.ZERO;
      MetricSums none = metrics == null ? null : metrics.empty();
      for (Part s : Jobs.run(jsc.sc(), workers.rdd(), new EvalTask(b, none), Part.class)) { // partition order
        total = total.plus(s.sums());
        if (metrics != null) {
          metrics.merge(s.metrics());
        }
      }
      return total;
    } finally {
      b.destroy();
    }
  }

  /** One partition's loss sums and metric sums (null when none were asked for). */
  private record Part(LossSums sums, MetricSums metrics) implements Serializable {
  }

  /** One partition's sums (a plain class for {@code runJob}, see {@link Jobs}). */
  private static final class EvalTask
      extends AbstractFunction2<TaskContext, scala.collection.Iterator<PartitionWorker>, Part>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<float[]> params;
    private final MetricSums empty;

    EvalTask(Broadcast<float[]> params, MetricSums empty) {
      this.params = params;
      this.empty = empty;
    }

    @Override
    public Part apply(TaskContext context, scala.collection.Iterator<PartitionWorker> it) {
      PartitionWorker w = it.next();
      MetricSums m = empty == null ? null : empty.empty();
      synchronized (w) {
        return new Part(w.evaluate(params.value(), m), m);
      }
    }
  }
}
