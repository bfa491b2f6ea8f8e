package io.sparkprop.cli;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.EpochLogger;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.StopSummary;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.core.train.TrainingState;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * What the user sees while training: during an epoch a progress bar with the running loss and
 * accuracy fitted to the terminal's width ({@link BarLine}), or without a terminal (logs, e.g.
 * under spark-submit) a plain line at least every {@link #LOG_INTERVAL_NANOS}, also while one
 * long step or the validation runs (a once-a-second ticker checks the clock); after each epoch
 * the core's epoch line ({@link EpochLogger#format}); when resuming, the epoch it resumes at;
 * with early stopping, how it ended ({@link StopSummary#message}). The learning-rate finder's variant
 * ({@link #forRangeTest}) counts the steps of the whole test and prints no epoch lines.
 * Close it when training ends by an exception (the ticker stops; onTrainEnd does it otherwise).
 */
public final class Progress implements TrainingListener, AutoCloseable {
  /** How progress is shown. */
  public enum Mode {
    /** A bar when standard output is a terminal, log lines otherwise. */
    AUTO,
    /** A progress bar redrawn in place. */
    BAR,
    /** Plain lines, at least one per interval. */
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
  private final int width;
  private final LongSupplier clock;
  private final boolean ticking;
  /** Steps of the learning-rate range test; 0 for training. */
  private final int rangeSteps;
  private ScheduledExecutorService ticker;
  private int epochs;
  private boolean classifier;
  private ProgressBar bar;
  private double lossSum;
  private long count;
  private long correct;
  private long begin;
  private long lastLine;
  private long done;
  private long total;
  private int epoch;
  private boolean running;

  /** Epoch lines to {@code out}; the bar (mode BAR) to {@code barStream}, as wide as the terminal. */
  public Progress(Mode mode, PrintWriter out, PrintStream barStream) {
    this(mode, out, barStream, 0, System::nanoTime, true, 0);
  }

  /**
   * The full form, for tests: {@code width} of the bar's line (0: the terminal's), the clock in
   * nanoseconds, whether a ticker thread checks the clock every second, the range test's steps.
   */
  Progress(Mode mode, PrintWriter out, PrintStream barStream, int width, LongSupplier clock, boolean ticking,
           int rangeSteps) {
    this.mode = mode.resolve();
    this.out = out;
    this.barStream = barStream;
    this.width = width;
    this.clock = clock;
    this.ticking = ticking;
    this.rangeSteps = rangeSteps;
  }

  /** Progress of the learning-rate range test of {@code steps} steps: no epoch lines. */
  static Progress forRangeTest(Mode mode, PrintWriter out, PrintStream barStream, int steps) {
    return new Progress(mode, out, barStream, 0, System::nanoTime, true, steps);
  }

  /** The mode in use (never AUTO). */
  public Mode mode() {
    return mode;
  }

  @Override
  public synchronized void onTrainBegin(Model model, TrainingConfig config, int stepsPerEpoch, TrainingState state) {
    epochs = config.epochs();
    classifier = model.loss().isClassification();
    begin = clock.getAsLong();
    lastLine = begin;
    running = true;
    if (rangeSteps == 0 && state != null && state.completedEpochs() > 0) {
      out.println(state.completedEpochs() >= epochs
          ? String.format(Locale.ROOT, "nothing to resume: the checkpoint holds all %d epochs", epochs)
          : String.format(Locale.ROOT, "resuming at epoch %d of %d (the checkpoint holds %d)",
          state.completedEpochs() + 1, epochs, state.completedEpochs()));
      out.flush();
    }
    if (mode == Mode.LOG && ticking && ticker == null) {
      ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sparkprop-progress");
        t.setDaemon(true);
        return t;
      });
      ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }
  }

  @Override
  public synchronized void onStepEnd(int epoch, int step, int steps, LossSums sums) {
    // training shows the epoch's running mean; the range test each step's own loss (the rate changes)
    if (step == 0 || rangeSteps > 0) {
      lossSum = 0;
      count = 0;
      correct = 0;
    }
    this.epoch = epoch;
    lossSum += sums.lossSum();
    count += sums.count();
    correct += sums.correct();
    done = rangeSteps > 0 ? (long) epoch * steps + step + 1 : step + 1;
    total = rangeSteps > 0 ? rangeSteps : steps;
    if (mode == Mode.BAR) {
      if (bar == null) {
        String task = rangeSteps > 0 ? "lr-find" : String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs);
        ConsoleProgressBarConsumer consumer = width > 0 ? new ConsoleProgressBarConsumer(barStream, width)
            : new ConsoleProgressBarConsumer(barStream);
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setRenderer(new BarLine())
            .setUpdateIntervalMillis(250).setConsumer(consumer).clearDisplayOnFinish().build();
      }
      bar.setExtraMessage(running(true));
      bar.stepTo(done);
      if (done >= total) {
        closeBar();
      }
    } else if (mode == Mode.LOG) {
      logIfDue();
    }
  }

  /** Prints the running line when the last line is {@link #LOG_INTERVAL_NANOS} old (LOG mode, while training). */
  synchronized void tick() {
    if (mode == Mode.LOG && running) {
      logIfDue();
    }
  }

  private void logIfDue() {
    long now = clock.getAsLong();
    if (now - lastLine < LOG_INTERVAL_NANOS) {
      return;
    }
    String where = rangeSteps > 0 ? "lr-find" : String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs);
    String metrics = running(false);
    out.printf(Locale.ROOT, "%s - step %d/%d%s - %.0f s%n", where, done, total, metrics.isEmpty() ? "" : " - "
        + metrics, (now - begin) / 1e9);
    out.flush();
    lastLine = now;
  }

  @Override
  public synchronized void onEpochEnd(EpochLog log, TrainingState state, Model model) {
    if (rangeSteps > 0) {
      return;
    }
    closeBar();
    out.println(EpochLogger.format(log, epochs));
    out.flush();
    lastLine = clock.getAsLong();
  }

  @Override
  public synchronized void onEarlyStopping(StopSummary summary) {
    closeBar();
    out.println(summary.message());
    out.flush();
  }

  @Override
  public void onTrainEnd(History history, Model model) {
    close();
  }

  /** Closes the bar and stops the ticker. */
  @Override
  public void close() {
    ScheduledExecutorService t;
    synchronized (this) {
      running = false;
      closeBar();
      t = ticker;
      ticker = null;
    }
    if (t != null) {
      t.shutdownNow();
    }
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  /** "loss 0.1234 acc 0.9612" (bar) or "loss 0.1234 - accuracy 0.9612" (lines) over the epoch so far. */
  private String running(boolean shortForm) {
    if (count == 0) {
      return "";
    }
    String s = "loss " + number(lossSum / count);
    if (!classifier) {
      return s;
    }
    return s + String.format(Locale.ROOT, shortForm ? " acc %.4f" : " - accuracy %.4f", (double) correct / count);
  }

  /** Four decimals, or four significant digits for large or tiny values (a width that stays short). */
  static String number(double v) {
    double a = Math.abs(v);
    return a >= 1e4 || (a < 1e-3 && a > 0) ? String.format(Locale.ROOT, "%.4g", v)
        : String.format(Locale.ROOT, "%.4f", v);
  }
}
