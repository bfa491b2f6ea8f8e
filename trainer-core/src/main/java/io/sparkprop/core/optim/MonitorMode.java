package io.sparkprop.core.optim;

/**
 * Whether a monitored metric improves by going down (losses) or up (accuracies), and the
 * improvement test shared by reduce-on-plateau and early stopping (Keras' rules).
 */
public enum MonitorMode {
  /** Smaller is better: improved when {@code v < best − minDelta}. */
  MIN,
  /** Larger is better: improved when {@code v > best + minDelta}. */
  MAX;

  /**
   * Keras' "auto" mode, extended to the evaluation metrics: MAX for names containing "accuracy",
   * "precision", "recall", "f1" or "auc", or ending in "acc" or "r2"; else MIN (losses, log_loss,
   * mse, rmse, mae).
   */
  public static MonitorMode of(String monitor) {
    boolean larger = monitor.contains("accuracy") || monitor.endsWith("acc") || monitor.contains("precision")
        || monitor.contains("recall") || monitor.contains("f1") || monitor.contains("auc") || monitor.endsWith("r2");
    return larger ? MAX : MIN;
  }

  /** True when {@code value} improves on {@code best} by more than {@code minDelta}; anything beats a NaN best. */
  public boolean improves(double value, double best, double minDelta) {
    if (Double.isNaN(best)) {
      return true;
    }
    return this == MAX ? value > best + minDelta : value < best - minDelta;
  }
}
