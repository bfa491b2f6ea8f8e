package io.sparkprop.spark.train;

import io.sparkprop.core.loss.LossSums;
import java.util.Arrays;

/**
 * The driver's sum of one barrier step's answers, one {@link StepResult} per partition, in the
 * order jobs mode adds them: index order for depth 1 (as {@link OrderedTree#sumInOrder}), else
 * {@link OrderedTree#sumAsTree} for the same depth. Float addition is not associative, so this
 * order is what makes barrier steps the floats of jobs steps.
 */
final class BarrierSums {
  private final int depth;
  private final StepResult[] parts;
  private final StepResult[] copies;

  /** Sums for {@code partitions} answers with a tree of {@code depth} (1: straight to the driver). */
  BarrierSums(int partitions, int depth) {
    this.depth = depth;
    this.parts = new StepResult[partitions];
    this.copies = new StepResult[depth == 1 ? 0 : partitions];
    for (int i = 0; i < copies.length; i++) {
      copies[i] = new StepResult();
    }
  }

  /** The answer slots, by partition, that the stage fills ({@link BarrierStage#receive}). */
  StepResult[] parts() {
    return parts;
  }

  /** The slowest task's compute time: the tasks run in parallel, so the step waited that long. */
  long computeNanos() {
    long compute = 0;
    for (StepResult r : parts) {
      compute = Math.max(compute, r.computeNanos);
    }
    return compute;
  }

  /** The answers' sums, their gradient into {@code grad} (zeros when no slice carried one). */
  LossSums sum(float[] grad) {
    return depth == 1 ? sumInOrder(grad) : sumAsTree(grad);
  }

  /** Σ over partitions in index order, as {@link OrderedTree#sumInOrder} adds (empty slices carry no gradient). */
  private LossSums sumInOrder(float[] grad) {
    boolean any = false;
    double loss = 0;
    long count = 0;
    long correct = 0;
    double weight = 0;
    for (StepResult r : parts) {
      loss += r.lossSum;
      count += r.count;
      correct += r.correct;
      weight += r.weight;
      if (r.grad != null) {
        r.addInto(grad, !any);
        any = true;
      }
    }
    if (!any) {
      Arrays.fill(grad, 0f);
    }
    return new LossSums(loss, count, correct, weight);
  }

  /** The tree of {@link OrderedTree#levels}, on copies (the answers are the channels' buffers). */
  private LossSums sumAsTree(float[] grad) {
    for (int p = 0; p < parts.length; p++) {
      copies[p].copyFrom(parts[p]);
    }
    StepResult total = OrderedTree.sumAsTree(Arrays.asList(copies), depth);
    if (total.grad == null) {
      Arrays.fill(grad, 0f);
    } else {
      System.arraycopy(total.grad, 0, grad, 0, grad.length);
    }
    return total.sums();
  }
}
