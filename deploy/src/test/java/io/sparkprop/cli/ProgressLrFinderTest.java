package io.sparkprop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.SGD;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.TrainingConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress display in its modes, and the learning-rate finder's schedule, smoothing and suggestion. */
class ProgressLrFinderTest {

  /** Two separable Gaussian blobs in 4 dimensions, labels 0/1. */
  static DataSet blobs(int n, long seed) {
    Rng rng = new Rng(seed);
    float[] x = new float[n * 4];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int c = i % 2;
      y[i] = c;
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (float) ((c == 0 ? -1 : 1) + 0.5 * rng.nextGaussian());
      }
    }
    return new DataSet(Shape.of(4), 1, n, x, y);
  }

  static Model model() {
    return Model.init(Sequential.of(Shape.of(4), new Dense(8), new ReLU(), new Dense(2)), new SoftmaxCrossEntropy(), 1);
  }

  @Test
  void barModeDrawsABarAndPrintsEpochLines() {
    StringWriter lines = new StringWriter();
    ByteArrayOutputStream bar = new ByteArrayOutputStream();
    Progress p = new Progress(Progress.Mode.BAR, new PrintWriter(lines, true),
        new PrintStream(bar, true, StandardCharsets.UTF_8));
    new LocalBackend().fit(TrainingConfig.DEFAULTS.withEpochs(2).withBatchSize(16), List.of(p), model(), blobs(64, 3),
        blobs(32, 4));
    assertThat(lines.toString().lines().toList()).hasSize(2).allMatch(l -> l.matches("epoch [12]/2 - loss .*"
        + " - val_accuracy .* samples/s, ETA .*"));
    assertThat(bar.toString(StandardCharsets.UTF_8)).contains("epoch 1/2", "epoch 2/2", "4/4", "loss ", "accuracy ");
  }

  @Test
  void logAndNoneModesPrintOnlyLines() {
    StringWriter lines = new StringWriter();
    Progress p = new Progress(Progress.Mode.NONE, new PrintWriter(lines, true), null);
    new LocalBackend().fit(TrainingConfig.DEFAULTS.withEpochs(3).withBatchSize(16), List.of(p), model(), blobs(64, 3),
        null);
    assertThat(lines.toString().lines().toList()).hasSize(3).last().asString().startsWith("epoch 3/3 - loss ");
    assertThat(Progress.Mode.LOG.resolve()).isEqualTo(Progress.Mode.LOG);
  }

  @Test
  void rangeScheduleGrowsExponentially() {
    assertThat(LrFinder.rate(1e-6, 1, 7, 0)).isCloseTo(1e-6, within(1e-18));
    assertThat(LrFinder.rate(1e-6, 1, 7, 3)).isCloseTo(1e-3, within(1e-15));
    assertThat(LrFinder.rate(1e-6, 1, 7, 6)).isCloseTo(1.0, within(1e-12));
    LrFinder.RangeSchedule s = new LrFinder.RangeSchedule(0.5, 1e-4, 1e-2, 3);
    assertThat(0.5 * s.multiplier(0, 1, 10)).isCloseTo(1e-3, within(1e-15));
  }

  @Test
  void centredMeanHasNoLag() {
    assertThat(LrFinder.centredMean(new double[] {1, 2, 3, 4, 5}, 1)).containsExactly(1.5, 2, 3, 4, 4.5);
  }

  @Test
  void steepestDescentOfAKnownCurve() {
    // loss = 2 - tanh(log10(lr) + 3) on lr in [1e-6, 1]: steepest at lr = 1e-3, then rises after 1e-1.
    int n = 61;
    double[] lr = new double[n];
    double[] loss = new double[n];
    for (int i = 0; i < n; i++) {
      lr[i] = Math.pow(10, -6 + i / 10.0);
      double t = Math.log10(lr[i]);
      loss[i] = 2 - Math.tanh(t + 3) + (t > -1 ? 10 * (t + 1) * (t + 1) : 0);
    }
    assertThat(LrFinder.steepest(lr, loss)).isCloseTo(1e-3, within(1e-9));
    assertThat(LrFinder.minOver10(lr, loss)).isBetween(1e-3, 1e-1);
    assertThat(LrFinder.steepest(new double[] {1, 2, 3}, new double[] {1, 2, 3})).isNaN();
  }

  @Test
  void rangeTestStopsWhenTheLossDivergesAndLeavesTheModelUnchanged() {
    Model m = model();
    float[] before = m.params().clone();
    LrFinder.Result r = LrFinder.run(new LocalBackend(), m, blobs(512, 5),
        TrainingConfig.DEFAULTS.withOptimizer(new SGD(0.1)).withBatchSize(32), 1e-4, 1e4, 100, null);
    assertThat(m.params()).containsExactly(before);
    assertThat(r.stop()).containsAnyOf("diverged", "infinite", "became");
    assertThat(r.rates().length).isBetween(11, 99);
    assertThat(r.rates()[0]).isCloseTo(1e-4, within(1e-12));
    // the smoothed loss is a centred moving average of the recorded losses
    int n = r.losses().length;
    int k = Math.max(1, (int) Math.round(0.05 * n));
    double mean = 0;
    for (int j = 0; j <= k; j++) {
      mean += r.losses()[j];
    }
    assertThat(r.smoothed()[0]).isCloseTo(mean / (k + 1), within(1e-12));
    assertThat(r.steepest()).isBetween(1e-4, 1e2);
  }
}
