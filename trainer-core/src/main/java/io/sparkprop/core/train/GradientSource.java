package io.sparkprop.core.train;

import io.sparkprop.core.loss.LossSums;

/**
 * Where a step's gradient comes from. The trainer owns the loop and the optimizer; a source only
 * computes, for step {@code step} of {@code steps} in {@code epoch}, the gradient of the loss
 * <em>summed</em> over that step's samples (every training sample is in exactly one step per
 * epoch), plus the loss and accuracy sums. The trainer divides by the returned count.
 */
public interface GradientSource extends AutoCloseable {

  /** Number of training samples (one epoch). */
  long size();

  /**
   * Overwrites {@code grad} with Σ ∂loss/∂θ over the step's samples, computed at {@code params}.
   * State slots (non-trainable tensors) receive the layers' batch statistics, sample-weighted.
   */
  LossSums gradient(float[] params, int epoch, int step, int steps, float[] grad);

  /** Time split of the work so far (broadcast, compute, aggregation), cumulative. */
  default Timings timings() {
    return Timings.NONE;
  }

  @Override
  default void close() {
  }
}
