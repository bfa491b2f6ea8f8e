package io.sparkprop.core.train;

import java.util.Locale;

/**
 * How early stopping ended a run, for the message users see: the last epoch that ran, whether
 * the rule stopped training before the configured epochs, and which epoch's weights the model
 * ends with.
 *
 * @param monitor    the monitored metric
 * @param patience   epochs without improvement that stop training
 * @param lastEpoch  the last epoch that ran (1-based)
 * @param epochs     the configured epochs
 * @param stopped    true when the rule ended training before {@code epochs}
 * @param bestEpoch  the epoch of the best value (1-based), -1 when there was none
 * @param best       the best value
 * @param restored   true when the model was given the best epoch's weights
 */
public record StopSummary(String monitor, int patience, int lastEpoch, int epochs, boolean stopped, int bestEpoch,
                          double best, boolean restored) {

  /**
   * E.g. "early stopping: val_loss did not improve for 3 epochs; stopped after epoch 68 of 150;
   * restored the weights of epoch 65 (val_loss 0.1234)".
   */
  public String message() {
    StringBuilder b = new StringBuilder("early stopping: ");
    if (stopped) {
      b.append(String.format(Locale.ROOT, "%s did not improve for %d epoch%s; stopped after epoch %d of %d", monitor,
          patience, patience == 1 ? "" : "s", lastEpoch, epochs));
    } else {
      b.append(String.format(Locale.ROOT, "ran all %d epochs", epochs));
    }
    if (bestEpoch < 0) {
      return b.append("; no best epoch").toString();
    }
    String best = String.format(Locale.ROOT, "epoch %d (%s %.4f)", bestEpoch, monitor, this.best);
    if (restored) {
      b.append("; restored the weights of ").append(best);
    } else {
      b.append("; kept the weights of epoch ").append(lastEpoch).append(", the best was ").append(best);
    }
    return b.toString();
  }
}
