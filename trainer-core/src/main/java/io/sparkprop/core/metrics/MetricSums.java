package io.sparkprop.core.metrics;

import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.SigmoidBinaryCrossEntropy;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import java.io.Serializable;
import java.util.Map;

/**
 * Additive sums from which metrics are computed. One instance per partition: {@link #add}
 * batches (allocation-free), {@link #merge} the other partitions' sums in a fixed order, then
 * read {@link #values}. Serializable so Spark can return it from a task.
 */
public interface MetricSums extends Serializable {

  /**
   * Adds {@code batch} rows of raw network outputs {@code output[batch, width]} (before the
   * loss's activation) against {@code labels[batch, labelWidth]}.
   */
  void add(float[] output, float[] labels, int batch, int width, int labelWidth);

  /** Adds {@code other}'s sums (of the same kind and settings) to these. */
  void merge(MetricSums other);

  /** Samples added so far. */
  long count();

  /** Empty sums with the same settings. */
  MetricSums empty();

  /**
   * The metrics by name, in a fixed order (for example {@code accuracy}, {@code top_5_accuracy},
   * {@code log_loss}, {@code f1_macro}, {@code roc_auc}; or {@code mse}, {@code rmse}, {@code mae},
   * {@code r2}). Empty when nothing was added.
   */
  Map<String, Double> values();

  /**
   * The metrics that fit {@code loss} with {@code width} outputs: classification sums for a
   * softmax (width >= 2) or a single sigmoid output, regression sums for a regression loss, and
   * null for multi-label sigmoid outputs (no metric is defined for them here).
   */
  static MetricSums forLoss(Loss loss, int width, MetricOptions options) {
    if (loss instanceof SoftmaxCrossEntropy && width >= 2) {
      return new ClassificationSums(width, options);
    }
    if (loss instanceof SigmoidBinaryCrossEntropy && width == 1) {
      return new ClassificationSums(2, options);
    }
    if (!loss.isClassification()) {
      return new RegressionSums(width);
    }
    return null;
  }
}
