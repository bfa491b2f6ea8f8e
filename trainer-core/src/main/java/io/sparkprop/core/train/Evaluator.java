package io.sparkprop.core.train;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.metrics.MetricSums;
import java.util.function.BiFunction;

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

  /**
   * An evaluator whose pass can fill metric sums: {@code pass(params, metrics)}, with null
   * metrics when called as {@link #evaluate(float[])}.
   */
  static Evaluator withMetrics(BiFunction<float[], MetricSums, LossSums> pass) {
    return new Evaluator() {
      @Override
      public LossSums evaluate(float[] params) {
        return pass.apply(params, null);
      }

      @Override
      public LossSums evaluate(float[] params, MetricSums metrics) {
        return pass.apply(params, metrics);
      }
    };
  }
}
