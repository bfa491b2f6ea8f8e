package io.sparkprop.cli.report;

import io.sparkprop.core.train.EarlyStopping;
import io.sparkprop.core.train.EarlyStoppingTracker;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;

/**
 * The epoch the training plot marks: with early stopping, the epoch its tracker kept as best
 * (the weights the model ends with when it restores them); otherwise the epoch of the lowest
 * validation loss (training loss without validation data).
 *
 * @param epoch  1-based epoch, -1 when there is none (no epochs, or the metric is never reported)
 * @param metric the metric that chose it
 * @param label  the legend text, e.g. "restored epoch 7 (val_loss)"
 */
public record EpochMarker(int epoch, String metric, String label) {
  private static final EpochMarker NONE = new EpochMarker(-1, "", "");

  /** The marker of {@code h}; {@code es} is the run's early stopping, or null. */
  public static EpochMarker of(History h, EarlyStopping es) {
    if (es != null) {
      // Replays the trainer's own tracker, so the mark is the epoch the trainer kept.
      EarlyStoppingTracker t = new EarlyStoppingTracker(es);
      for (EpochLog e : h.epochs()) {
        double v = e.metric(es.monitor());
        if (Double.isNaN(v)) {
          return NONE;
        }
        t.update(v, e.epoch());
      }
      if (t.bestEpoch() < 0) {
        return NONE;
      }
      String what = es.restoreBestWeights() ? "restored" : "best";
      return new EpochMarker(t.bestEpoch(), es.monitor(), what + " epoch " + t.bestEpoch() + " (" + es.monitor() + ")");
    }
    String metric = finite(h.series("val_loss")) ? "val_loss" : "loss";
    int best = -1;
    double low = Double.POSITIVE_INFINITY;
    for (EpochLog e : h.epochs()) {
      double v = e.metric(metric);
      if (v < low) {
        low = v;
        best = e.epoch();
      }
    }
    return best < 0 ? NONE : new EpochMarker(best, metric, "lowest " + metric + ": epoch " + best);
  }

  private static boolean finite(double[] v) {
    for (double d : v) {
      if (Double.isFinite(d)) {
        return true;
      }
    }
    return false;
  }
}
