package io.sparkprop.core.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The per-epoch metrics of a training run, in order (Keras' {@code History}). */
public final class History {
  private final List<EpochLog> epochs = new ArrayList<>();

  public History() {
  }

  /** A history holding the given epochs. */
  public History(List<EpochLog> epochs) {
    this.epochs.addAll(epochs);
  }

  void add(EpochLog log) {
    epochs.add(log);
  }

  /** All epochs so far. */
  public List<EpochLog> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  /**
   * The values of one metric, one per epoch (e.g. "val_accuracy", "val_f1_macro"); NaN for an
   * epoch without a validation metric that other epochs have.
   */
  public double[] series(String metric) {
    String name = metric.startsWith("val_") ? metric.substring(4) : null;
    boolean somewhere = false;
    for (EpochLog e : epochs) {
      somewhere |= name != null && e.valMetrics().containsKey(name);
    }
    double[] v = new double[epochs.size()];
    for (int i = 0; i < v.length; i++) {
      EpochLog e = epochs.get(i);
      v[i] = somewhere && !e.valMetrics().containsKey(name) && !isFixed(metric) ? Double.NaN : e.metric(metric);
    }
    return v;
  }

  private static boolean isFixed(String metric) {
    return switch (metric) {
      case "val_loss", "val_accuracy", "val_acc" -> true;
      default -> false;
    };
  }

  /** The last epoch's log; throws when no epoch ran. */
  public EpochLog last() {
    if (epochs.isEmpty()) {
      throw new IllegalStateException("no epoch has run");
    }
    return epochs.get(epochs.size() - 1);
  }

  /** A copy. */
  public History copy() {
    return new History(epochs);
  }
}
