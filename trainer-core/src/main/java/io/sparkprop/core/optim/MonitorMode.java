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

  /** Keras' "auto" mode: MAX for names containing "accuracy" or ending in "acc", else MIN. */
  public static MonitorMode of(String monitor) {
    return monitor.contains("accuracy") || monitor.endsWith("acc") ? MAX : MIN;
  }

  /** True when {@code value} improves on {@code best} by more than {@code minDelta}; anything beats a NaN best. */
  public boolean improves(double value, double best, double minDelta) {
    if (Double.isNaN(best)) {
      return true;
    }
    return this == MAX ? value > best + minDelta : value < best - minDelta;
  }
}
