package io.sparkprop.spark.train;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.train.Evaluator;
import io.sparkprop.core.train.PartitionWorker;
import io.sparkprop.spark.data.BlockConverter;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

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
      for (LossSums s : workers.mapPartitions(new EvalTask(b)).collect()) { // in partition order: repeatable
        total = total.plus(s);
      }
      return total;
    } finally {
      b.destroy();
    }
  }

  /** One partition's sums. */
  private static final class EvalTask implements FlatMapFunction<Iterator<PartitionWorker>, LossSums> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<float[]> params;

    EvalTask(Broadcast<float[]> params) {
      this.params = params;
    }

    @Override
    public Iterator<LossSums> call(Iterator<PartitionWorker> it) {
      PartitionWorker w = it.next();
      LossSums s;
      synchronized (w) {
        s = w.evaluate(params.value());
      }
      return Collections.singletonList(s).iterator();
    }
  }
}
