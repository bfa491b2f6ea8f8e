package io.sparkprop.cli;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.optim.LearningRateSchedule;
import io.sparkprop.core.train.PartitionWorker;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingDivergedException;
import io.sparkprop.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The learning-rate range test (Smith 2017, as in fastai's {@code lr_find}): train a copy of the
 * model for up to {@code steps} steps while the rate grows exponentially,
 * {@code lr_i = min·(max/min)^(i/(steps−1))}, and record each step's training loss. While running,
 * a bias-corrected moving average {@code a_i = β·a_{i−1} + (1−β)·loss_i},
 * {@code e_i = a_i/(1−β^(i+1))}, β = 0.98, stops the test once {@code e_i} exceeds four times its
 * minimum (or the loss is not finite). Afterwards the curve is smoothed without lag by a centred
 * moving average {@code s_i = mean(loss_{i−k..i+k})} (the window cut at the ends,
 * {@code k = max(1, round(0.05·n))} for {@code n} recorded steps). Suggested rate: where {@code s}
 * falls fastest against {@code log lr} (central differences, before its minimum); also reported
 * is the rate of the minimum of {@code s} divided by 10.
 */
public final class LrFinder {
  /** Smoothing factor of the loss. */
  static final double BETA = 0.98;
  /** The test stops once the smoothed loss exceeds this multiple of its minimum. */
  static final double DIVERGENCE = 4.0;

  private LrFinder() {
  }

  /**
   * The recorded curve and the suggestions.
   *
   * @param rates     the rate of each recorded step
   * @param losses    its training loss
   * @param smoothed  the smoothed loss
   * @param steepest  the suggested rate (steepest descent of the smoothed loss), NaN when the curve is too short
   * @param minOver10 the rate of the smoothed minimum divided by 10
   * @param stop      why the test ended
   */
  public record Result(double[] rates, double[] losses, double[] smoothed, double steepest, double minOver10,
                       String stop) {
  }

  /** Multiplier of the base rate for the range test: {@code lr_i / base}. */
  record RangeSchedule(double base, double min, double max, int steps) implements LearningRateSchedule {
    @Override
    public double multiplier(int epoch, long step, int stepsPerEpoch) {
      return rate(min, max, steps, step) / base;
    }
  }

  /** {@code min·(max/min)^(i/(steps−1))}. */
  static double rate(double min, double max, int steps, long i) {
    return min * Math.pow(max / min, steps == 1 ? 0 : (double) i / (steps - 1));
  }

  /** Ends the test from a listener. */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stop(String why) {
      super(why, null, false, false);
    }
  }

  /**
   * Runs the test on a copy of {@code model} (which is left unchanged) through {@code backend},
   * with {@code config}'s optimizer and batch size.
   */
  public static Result run(TrainingBackend backend, Model model, DataSet train, TrainingConfig config, double min,
                           double max, int steps, TrainingListener progress) {
    if (!(min > 0 && max > min) || steps < 5) {
      throw new IllegalArgumentException("lr-find needs 0 < min-lr < max-lr and at least 5 steps, got min " + min
          + ", max " + max + ", steps " + steps);
    }
    int perEpoch = PartitionWorker.stepsPerEpoch(train.size(), config.batchSize());
    int epochs = (steps + perEpoch - 1) / perEpoch;
    TrainingConfig cfg = config.withSchedule(new RangeSchedule(config.optimizer().learningRate(), min, max, steps))
        .withEarlyStopping(null).withEpochs(epochs);
    double[] rates = new double[steps];
    double[] losses = new double[steps];
    int[] n = {0};
    String[] stop = {"reached " + steps + " steps"};
    TrainingListener recorder = new TrainingListener() {
      private double avg;
      private double best = Double.POSITIVE_INFINITY;
      private double ema;

      @Override
      public void onStepEnd(int epoch, int step, int stepsInEpoch, LossSums sums) {
        int i = n[0];
        double loss = sums.meanLoss();
        rates[i] = rate(min, max, steps, i);
        losses[i] = loss;
        avg = BETA * avg + (1 - BETA) * loss;
        ema = avg / (1 - Math.pow(BETA, i + 1));
        n[0] = i + 1;
        if (!Double.isFinite(loss)) {
          throw new Stop("the loss became " + loss + " at rate " + String.format("%.3g", rates[i]));
        }
        best = Math.min(best, ema);
        if (i >= 10 && ema > DIVERGENCE * best) {
          throw new Stop("the loss diverged at rate " + String.format("%.3g", rates[i]));
        }
        if (n[0] == steps) {
          throw new Stop("reached " + steps + " steps");
        }
      }
    };
    List<TrainingListener> listeners = new ArrayList<>(List.of(recorder));
    if (progress != null) {
      listeners.add(progress);
    }
    try {
      backend.fit(cfg, listeners, model.copy(), train, null);
    } catch (Stop s) {
      stop[0] = s.getMessage();
    } catch (TrainingDivergedException e) {
      stop[0] = "the loss or gradient became infinite or NaN";
    }
    int k = n[0];
    int finite = k;
    while (finite > 0 && !Double.isFinite(losses[finite - 1])) {
      finite--;
    }
    double[] r = Arrays.copyOf(rates, finite);
    double[] l = Arrays.copyOf(losses, finite);
    double[] s = centredMean(l, Math.max(1, (int) Math.round(0.05 * finite)));
    return new Result(r, l, s, steepest(r, s), minOver10(r, s), stop[0]);
  }

  /** {@code s_i = mean(v_{i−k..i+k})}, the window cut at the ends. */
  static double[] centredMean(double[] v, int k) {
    double[] s = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      int from = Math.max(0, i - k);
      int to = Math.min(v.length - 1, i + k);
      double sum = 0;
      for (int j = from; j <= to; j++) {
        sum += v[j];
      }
      s[i] = sum / (to - from + 1);
    }
    return s;
  }

  /** The rate where the smoothed loss falls fastest against log(rate), before its minimum; NaN if too short. */
  static double steepest(double[] rates, double[] smoothed) {
    int min = argmin(smoothed);
    int from = Math.max(1, smoothed.length / 10);
    int best = -1;
    double slope = 0;
    for (int i = from; i < min && i + 1 < smoothed.length; i++) {
      double d = (smoothed[i + 1] - smoothed[i - 1]) / (Math.log(rates[i + 1]) - Math.log(rates[i - 1]));
      if (d < slope) {
        slope = d;
        best = i;
      }
    }
    return best < 0 ? Double.NaN : rates[best];
  }

  /** The rate of the smoothed minimum, divided by 10. */
  static double minOver10(double[] rates, double[] smoothed) {
    return rates.length == 0 ? Double.NaN : rates[argmin(smoothed)] / 10;
  }

  private static int argmin(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] < v[best]) {
        best = i;
      }
    }
    return best;
  }
}
