package io.sparkprop.cli;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.EpochLogger;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.core.train.TrainingState;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What the user sees while training: during an epoch a progress bar with the running loss and
 * accuracy (on a terminal), or a plain line every {@link #LOG_INTERVAL_NANOS} (in logs, e.g.
 * under spark-submit); after each epoch the core's epoch line ({@link EpochLogger#format}: loss,
 * metrics, validation metrics, time, samples/s, ETA, time split).
 */
public final class Progress implements TrainingListener {
  /** How progress is shown. */
  public enum Mode {
    /** A bar when standard output is a terminal, log lines otherwise. */
    AUTO,
    /** A progress bar redrawn in place. */
    BAR,
    /** Plain lines, at most one per interval. */
    LOG,
    /** Only the epoch lines. */
    NONE;

    /** AUTO resolved against whether this JVM has a terminal. */
    public Mode resolve() {
      return this != AUTO ? this : System.console() != null ? BAR : LOG;
    }
  }

  /** Interval of the plain progress lines: 10 s. */
  static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
  private final Mode mode;
  private final PrintWriter out;
  private final PrintStream barStream;
  private int epochs;
  private boolean classifier;
  private ProgressBar bar;
  private double lossSum;
  private long count;
  private long correct;
  private long lastLine;

  /** Epoch lines to {@code out}; the bar (mode BAR) to {@code barStream}. */
  public Progress(Mode mode, PrintWriter out, PrintStream barStream) {
    this.mode = mode.resolve();
    this.out = out;
    this.barStream = barStream;
  }

  /** The mode in use (never AUTO). */
  public Mode mode() {
    return mode;
  }

  @Override
  public void onTrainBegin(Model model, TrainingConfig config, int stepsPerEpoch, TrainingState state) {
    epochs = config.epochs();
    classifier = model.loss().isClassification();
    lastLine = System.nanoTime();
  }

  @Override
  public void onStepEnd(int epoch, int step, int steps, LossSums sums) {
    if (step == 0) {
      lossSum = 0;
      count = 0;
      correct = 0;
    }
    lossSum += sums.lossSum();
    count += sums.count();
    correct += sums.correct();
    if (mode == Mode.BAR) {
      if (bar == null) {
        bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
            .setInitialMax(steps).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
            .setConsumer(new ConsoleProgressBarConsumer(barStream)).setUnit(" steps", 1).clearDisplayOnFinish()
            .build();
      }
      bar.stepTo(step + 1);
      bar.setExtraMessage(running());
      if (step == steps - 1) {
        bar.close();
        bar = null;
      }
    } else if (mode == Mode.LOG && System.nanoTime() - lastLine >= LOG_INTERVAL_NANOS) {
      out.printf(Locale.ROOT, "epoch %d/%d - step %d/%d - %s%n", epoch + 1, epochs, step + 1, steps, running());
      out.flush();
      lastLine = System.nanoTime();
    }
  }

  @Override
  public void onEpochEnd(EpochLog log, TrainingState state, Model model) {
    closeBar();
    out.println(EpochLogger.format(log, epochs));
    out.flush();
    lastLine = System.nanoTime();
  }

  @Override
  public void onTrainEnd(History history, Model model) {
    closeBar();
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  /** " loss 0.1234 - accuracy 0.9612" over the epoch so far. */
  private String running() {
    if (count == 0) {
      return "";
    }
    String s = String.format(Locale.ROOT, "loss %.4f", lossSum / count);
    return classifier ? s + String.format(Locale.ROOT, " - accuracy %.4f", (double) correct / count) : s;
  }
}
