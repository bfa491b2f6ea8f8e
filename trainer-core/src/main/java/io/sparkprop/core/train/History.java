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

  /** The values of one metric, one per epoch (e.g. "val_accuracy"). */
  public double[] series(String metric) {
    double[] v = new double[epochs.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = epochs.get(i).metric(metric);
    }
    return v;
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
