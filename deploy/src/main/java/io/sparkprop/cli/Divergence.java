package io.sparkprop.cli;

import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The end-of-run check for a loss that exploded without becoming NaN (NaN and infinity already
 * stop training): when the last epoch's training loss is more than {@value #FACTOR} times the
 * first epoch's, the run has diverged. The model is saved either way; the run then ends with a
 * warning and exit code 1 unless {@code --allow-divergence}.
 */
final class Divergence {
  /** How many times the first epoch's loss the last may be. */
  static final double FACTOR = 100;

  private Divergence() {
  }

  /** The exit code for {@code history}: 0, or 1 after a warning on {@code err}. */
  static int check(History history, boolean allow, PrintWriter err) {
    if (history.epochs().size() < 2) {
      return 0;
    }
    EpochLog first = history.epochs().get(0);
    EpochLog last = history.last();
    // a loss of 0 in epoch 1 cannot grow "100 times"; compare against a tiny floor instead
    if (!(last.loss() > FACTOR * Math.max(first.loss(), 1e-12))) {
      return 0;
    }
    String line = String.format(Locale.ROOT, "the loss diverged: %.4g after epoch %d, %.3g times the first epoch's "
        + "%.4g; the model is saved but is probably useless (try a lower learning rate; `lr-find` suggests one)",
        last.loss(), last.epoch(), last.loss() / first.loss(), first.loss());
    if (allow) {
      err.println("warning: " + line + " (accepted: --allow-divergence)");
      err.flush();
      return 0;
    }
    err.println("warning: " + line + "; exit code 1 (pass --allow-divergence to accept it)");
    err.flush();
    return 1;
  }
}
