package io.sparkprop.core.train;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.metrics.MetricSums;

/** Loss and accuracy sums of parameters on some data (validation), local or distributed. */
@FunctionalInterface
public interface Evaluator {
  LossSums evaluate(float[] params);

  /**
   * As {@link #evaluate(float[])}, adding the same pass's outputs to {@code metrics} (may be
   * null). The default adds nothing: an evaluator without metrics.
   */
  default LossSums evaluate(float[] params, MetricSums metrics) {
    return evaluate(params);
  }
}
