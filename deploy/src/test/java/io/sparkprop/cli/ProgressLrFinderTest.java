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
  void barModeDrawsABarWithin80ColumnsAndPrintsEpochLines() {
    StringWriter lines = new StringWriter();
    ByteArrayOutputStream bar = new ByteArrayOutputStream();
    Progress p = new Progress(Progress.Mode.BAR, new PrintWriter(lines, true),
        new PrintStream(bar, true, StandardCharsets.UTF_8), 80, System::nanoTime, false, 0);
    new LocalBackend().fit(TrainingConfig.DEFAULTS.withEpochs(2).withBatchSize(16), List.of(p), model(), blobs(64, 3),
        blobs(32, 4));
    assertThat(lines.toString().lines().toList()).hasSize(2).allMatch(l -> l.matches("epoch [12]/2 - loss .*"
        + " - val_accuracy .* samples/s, ETA .*"));
    String drawn = bar.toString(StandardCharsets.UTF_8);
    assertThat(drawn).contains("epoch 1/2", "epoch 2/2", "4/4", "loss ", "acc ");
    List<String> renders = List.of(drawn.split("[\\r\\n]+")).stream().filter(l -> l.contains("│")).toList();
    assertThat(renders).isNotEmpty().allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
    // the bar's own thread may draw before the first metrics are set; every line with them has them whole
    assertThat(renders.stream().filter(l -> l.contains("loss")).toList()).isNotEmpty()
        .allSatisfy(l -> assertThat(l).matches(".*loss \\d+\\.\\d{4} acc \\d\\.\\d{4}$"));
  }

  @Test
  void barLineGivesWayButNeverCutsTheNumbers() {
    String metrics = "loss 1.235e+05 acc 0.9612";
    String typical = BarLine.line("epoch 3/10", 234, 469, java.time.Duration.ofSeconds(83), "loss 0.1234 acc 0.9612",
        80);
    assertThat(typical).hasSize(80).startsWith("epoch 3/10  49% │").endsWith("│ 234/469 1:23<1:23 loss 0.1234 acc 0.9612");
    // with long numbers the time goes first
    String wide = BarLine.line("epoch 150/150", 23438, 46875, java.time.Duration.ofMinutes(83), metrics, 80);
    assertThat(wide.length()).isLessThanOrEqualTo(80);
    assertThat(wide).startsWith("epoch 150/150  50% │").endsWith("│ 23438/46875 " + metrics);
    // in 60 columns the time, then the word "epoch", then most of the bar go; the numbers stay whole
    String narrow = BarLine.line("epoch 150/150", 23438, 46875, java.time.Duration.ofMinutes(83), metrics, 60);
    assertThat(narrow.length()).isLessThanOrEqualTo(60);
    assertThat(narrow).startsWith("150/150  50% │").endsWith("│ 23438/46875 " + metrics);
    // too narrow for any bar: longer than asked, but whole
    assertThat(BarLine.line("epoch 150/150", 1, 46875, java.time.Duration.ZERO, metrics, 20))
        .isEqualTo("150/150 1/46875 " + metrics);
    assertThat(BarLine.bar(0.5, 4)).isEqualTo("██  ");
    assertThat(BarLine.bar(0.55, 4)).isEqualTo("██▏ ");
  }

  @Test
  void logModePrintsALineEvery10SecondsAlsoDuringALongStep() {
    StringWriter lines = new StringWriter();
    long[] now = {0};
    Progress p = new Progress(Progress.Mode.LOG, new PrintWriter(lines, true), null, 0, () -> now[0], false, 0);
    p.onTrainBegin(model(), TrainingConfig.DEFAULTS.withEpochs(5), 100, null);
    now[0] = 1_000_000_000L;
    p.onStepEnd(0, 0, 100, new io.sparkprop.core.loss.LossSums(1.5, 2, 1));
    assertThat(lines.toString()).isEmpty();
    // the second step takes long: the ticker's checks print once 10 s have passed since the last line
    now[0] = 9_999_999_999L;
    p.tick();
    assertThat(lines.toString()).isEmpty();
    now[0] = 10_000_000_000L;
    p.tick();
    now[0] = 15_000_000_000L;
    p.tick();
    now[0] = 20_000_000_000L;
    p.tick();
    assertThat(lines.toString().lines().toList()).containsExactly(
        "epoch 1/5 - step 1/100 - loss 0.7500 - accuracy 0.5000 - 10 s",
        "epoch 1/5 - step 1/100 - loss 0.7500 - accuracy 0.5000 - 20 s");
    p.close();
    now[0] = 40_000_000_000L;
    p.tick();
    assertThat(lines.toString().lines()).hasSize(2);
  }

  @Test
  void rangeTestLogsStepLinesWithoutATerminal() {
    StringWriter lines = new StringWriter();
    long[] now = {0};
    // every reading of the clock is 3 s later: a line every fourth step
    Progress p = new Progress(Progress.Mode.LOG, new PrintWriter(lines, true), null, 0, () -> now[0] += 3_000_000_000L,
        false, 40);
    LrFinder.run(new LocalBackend(), model(), blobs(256, 5), TrainingConfig.DEFAULTS.withBatchSize(32), 1e-4, 1e-2,
        40, p);
    p.close();
    List<String> out = lines.toString().lines().toList();
    assertThat(out).hasSizeGreaterThanOrEqualTo(5).allMatch(l -> l.matches("lr-find - step \\d+/40 - loss \\d+\\.\\d{4}"
        + " - accuracy \\d\\.\\d{4} - \\d+ s"));
    assertThat(out.get(0)).startsWith("lr-find - step 4/40 ");
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
  void earlyStoppingAndResumingAreAnnounced() {
    StringWriter lines = new StringWriter();
    Progress p = new Progress(Progress.Mode.NONE, new PrintWriter(lines, true), null);
    // minDelta 10 on the training loss: epoch 1 stays the best, patience 1 stops after epoch 2
    new LocalBackend().fit(TrainingConfig.DEFAULTS.withEpochs(5).withBatchSize(16)
            .withEarlyStopping(new io.sparkprop.core.train.EarlyStopping("loss", 1, 10, true)), List.of(p), model(),
        blobs(64, 3), null);
    List<String> out = lines.toString().lines().toList();
    assertThat(out).hasSize(3);
    assertThat(out.get(2)).matches("early stopping: loss did not improve for 1 epoch; stopped after epoch 2 of 5; "
        + "restored the weights of epoch 1 \\(loss \\d\\.\\d{4}\\)");

    StringWriter resumed = new StringWriter();
    Progress r = new Progress(Progress.Mode.NONE, new PrintWriter(resumed, true), null);
    io.sparkprop.core.train.TrainingState state = new io.sparkprop.core.train.TrainingState(
        io.sparkprop.core.optim.OptimizerState.create(new SGD(0.1), model().params().length),
        new io.sparkprop.core.train.History());
    state.restore(new io.sparkprop.core.train.TrainingState.Counters(4, 40, 40, 1, Double.NaN, 0, Double.NaN, -1, 0),
        null);
    r.onTrainBegin(model(), TrainingConfig.DEFAULTS.withEpochs(10), 10, state);
    assertThat(resumed.toString()).isEqualTo("resuming at epoch 5 of 10 (the checkpoint holds 4)"
        + System.lineSeparator());
  }

  @Test
  void localBackendWithCheckpointsFailsBeforeWritingAnything(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    java.nio.file.Path run = dir.resolve("run");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "train", "--backend", "local",
        "--set", "checkpoint.everyEpochs=1", "--output", run.toString());
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("checkpoint.everyEpochs needs --backend spark");
    assertThat(run).doesNotExist();
    code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "train", "--backend", "local",
        "--resume", dir.resolve("checkpoint").toString(), "--output", run.toString());
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("--resume needs --backend spark");
    assertThat(run).doesNotExist();
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
