package io.sparkprop.spark.train;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.train.PartitionWorker;
import java.io.Serializable;
import java.util.Collections;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.runtime.AbstractFunction2;

/**
 * A partition's part of step {@code step} of {@code steps} in {@code epoch}: reads the broadcast
 * parameters, zeroes this executor thread's gradient buffer and adds the partition's slice into
 * it ({@link PartitionWorker#accumulate}). The task closure holds only the broadcast handle and
 * three ints; the buffer is allocated in the task, once per thread, and reused (Spark serialises
 * a task's result before the thread runs its next task).
 *
 * <p>It is a job function for {@code SparkContext.runJob} (a plain class rather than a Scala
 * lambda: Spark's closure cleaner re-reads and parses the class file of every lambda it is given,
 * which cost more CPU per step than the rest of the job) and, for the tree path, a
 * {@link FlatMapFunction}.
 */
final class StepTask extends AbstractFunction2<TaskContext, scala.collection.Iterator<PartitionWorker>, StepResult>
    implements FlatMapFunction<java.util.Iterator<PartitionWorker>, StepResult>, Serializable {
  private static final long serialVersionUID = 1L;
  private static final ThreadLocal<StepResult> BUFFER = ThreadLocal.withInitial(StepResult::new);
  private final Broadcast<float[]> params;
  private final int epoch;
  private final int step;
  private final int steps;

  StepTask(Broadcast<float[]> params, int epoch, int step, int steps) {
    this.params = params;
    this.epoch = epoch;
    this.step = step;
    this.steps = steps;
  }

  @Override
  public StepResult apply(TaskContext context, scala.collection.Iterator<PartitionWorker> it) {
    return run(it.next());
  }

  @Override
  public java.util.Iterator<StepResult> call(java.util.Iterator<PartitionWorker> it) {
    return Collections.singletonList(run(it.next())).iterator();
  }

  private StepResult run(PartitionWorker w) {
    StepResult r = BUFFER.get();
    return compute(w, params.value(), epoch, step, steps, r) ? r : new StepResult();
  }

  /**
   * Zeroes {@code r} (the dense ranges and last step's embedding rows, {@link StepResult#zeroFor})
   * and adds partition {@code w}'s slice of the step into it; false (and {@code r}
   * untouched) when the slice is empty. Shared by both sync modes so they compute the same sums.
   */
  static boolean compute(PartitionWorker w, float[] p, int epoch, int step, int steps, StepResult r) {
    int n = w.data().size();
    if (PartitionWorker.sliceStart(n, step, steps) == PartitionWorker.sliceStart(n, step + 1, steps)) {
      return false;
    }
    // A worker is shared by every task that reads this cached partition (a speculative copy,
    // or a job-mode step while a failed barrier task winds down): one step at a time.
    synchronized (w) {
      long t0 = System.nanoTime();
      r.zeroFor(w, p.length, StepResult.sparseWanted());
      LossSums s = w.accumulate(p, epoch, step, steps, r.grad, r.rows);
      r.lossSum = s.lossSum();
      r.count = s.count();
      r.correct = s.correct();
      r.weight = s.weight();
      r.computeNanos = System.nanoTime() - t0;
    }
    return true;
  }
}
