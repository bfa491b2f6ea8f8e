package io.sparkprop.spark.train;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.train.Evaluator;
import io.sparkprop.core.train.PartitionWorker;
import io.sparkprop.spark.data.BlockConverter;
import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.runtime.AbstractFunction2;

/**
 * Loss and accuracy sums of parameters over cached partitions (inference mode): broadcast θ,
 * every partition evaluates all its samples ({@link PartitionWorker#evaluate}), the sums are
 * added on the driver in partition order.
 */
public final class SparkEvaluator implements Evaluator {
  private final JavaSparkContext jsc;
  private final JavaRDD<PartitionWorker> workers;

  public SparkEvaluator(JavaSparkContext jsc, BlockConverter.Blocks blocks) {
    this.jsc = jsc;
    this.workers = blocks.workers();
  }

  @Override
  public LossSums evaluate(float[] params) {
    Broadcast<float[]> b = jsc.broadcast(params);
    try {
      LossSums total = LossSums.ZERO;
      for (LossSums s : Jobs.run(jsc.sc(), workers.rdd(), new EvalTask(b), LossSums.class)) { // partition order
        total = total.plus(s);
      }
      return total;
    } finally {
      b.destroy();
    }
  }

  /** One partition's sums (a plain class for {@code runJob}, see {@link Jobs}). */
  private static final class EvalTask
      extends AbstractFunction2<TaskContext, scala.collection.Iterator<PartitionWorker>, LossSums>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<float[]> params;

    EvalTask(Broadcast<float[]> params) {
      this.params = params;
    }

    @Override
    public LossSums apply(TaskContext context, scala.collection.Iterator<PartitionWorker> it) {
      PartitionWorker w = it.next();
      synchronized (w) {
        return w.evaluate(params.value());
      }
    }
  }
}
