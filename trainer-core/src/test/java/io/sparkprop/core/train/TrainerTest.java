package io.sparkprop.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparkprop.core.data.DataException;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.metrics.MetricOptions;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.optim.SGD;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest {

  /** Three Gaussian blobs in 2-D around (0,3), (3,0), (-3,-3), std 1. */
  static DataSet blobs(int n, long seed) {
    Rng rng = new Rng(seed);
    float[] x = new float[n * 2];
    float[] y = new float[n];
    float[][] centres = {{0, 3}, {3, 0}, {-3, -3}};
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(3);
      x[2 * i] = centres[c][0] + (float) rng.nextGaussian();
      x[2 * i + 1] = centres[c][1] + (float) rng.nextGaussian();
      y[i] = c;
    }
    return new DataSet(Shape.of(2), 1, n, x, y);
  }

  static Sequential mlp() {
    return Sequential.of(Shape.of(2), new Dense(16), new ReLU(), new Dropout(0.1), new Dense(3));
  }

  static TrainingConfig config() {
    return TrainingConfig.DEFAULTS.withOptimizer(new Adam(0.01)).withEpochs(8).withBatchSize(32).withSeed(7);
  }

  @Test
  void learnsBlobsAndReportsHistory() {
    Model model = Model.init(mlp(), new SoftmaxCrossEntropy(), 1);
    History h = new Trainer(config()).fit(model, blobs(1200, 1), blobs(400, 2));
    assertThat(h.epochs()).hasSize(8);
    // Bayes accuracy of these blobs is about 98%; a working trainer gets well above 90%.
    assertThat(h.last().valAccuracy()).isGreaterThan(0.93);
    assertThat(h.series("loss")[7]).isLessThan(h.series("loss")[0]);
    assertThat(h.last().samples()).isEqualTo(1200);
    assertThat(model.evaluate(blobs(400, 2)).accuracy()).isEqualTo(h.last().valAccuracy());
    // Issue 14: the validation metrics are in the history, as Model.metrics computes them
    Map<String, Double> val = h.last().valMetrics();
    assertThat(val.keySet()).containsExactly("accuracy", "top_5_accuracy", "log_loss", "precision_macro",
        "recall_macro", "f1_macro", "precision_weighted", "recall_weighted", "f1_weighted");
    assertThat(val.get("accuracy")).isEqualTo(h.last().valAccuracy());
    Map<String, Double> direct = model.metrics(blobs(400, 2), MetricOptions.DEFAULTS).values();
    for (String k : direct.keySet()) {
      assertThat(val.get(k)).as(k).isCloseTo(direct.get(k), within(1e-6));
    }
    assertThat(h.series("val_f1_macro")).hasSize(8);
    assertThat(h.last().metric("val_log_loss")).isCloseTo(h.last().valLoss(), within(1e-6));
  }

  @Test
  void regressionReportsMseRmseMaeAndR2() {
    Rng rng = new Rng(3);
    int n = 300;
    float[] x = new float[n * 2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = (float) rng.nextGaussian();
      x[2 * i + 1] = (float) rng.nextGaussian();
      y[i] = 3 * x[2 * i] - x[2 * i + 1] + 0.1f * (float) rng.nextGaussian();
    }
    DataSet d = new DataSet(Shape.of(2), 1, n, x, y);
    Model m = Model.init(Sequential.of(Shape.of(2), new Dense(1)), new MeanSquaredError(), 1);
    History h = new Trainer(config().withOptimizer(new SGD(0.1)).withEpochs(10)).fit(m, d.slice(0, 200),
        d.slice(200, 300));
    Map<String, Double> val = h.last().valMetrics();
    assertThat(val.keySet()).containsExactly("mse", "rmse", "mae", "r2");
    assertThat(val.get("mse")).isCloseTo(h.last().valLoss(), within(1e-6));
    assertThat(val.get("rmse")).isCloseTo(Math.sqrt(val.get("mse")), within(1e-12));
    assertThat(val.get("r2")).isGreaterThan(0.99);
  }

  @Test
  void sameSeedGivesBitIdenticalParameters() {
    Model a = Model.init(mlp(), new SoftmaxCrossEntropy(), 3);
    Model b = Model.init(mlp(), new SoftmaxCrossEntropy(), 3);
    new Trainer(config().withEpochs(2)).fit(a, blobs(300, 4), null);
    new Trainer(config().withEpochs(2)).fit(b, blobs(300, 4), null);
    assertThat(a.params()).containsExactly(b.params());
    Model c = Model.init(mlp(), new SoftmaxCrossEntropy(), 3);
    new Trainer(config().withEpochs(2).withSeed(8)).fit(c, blobs(300, 4), null);
    assertThat(c.params()).isNotEqualTo(a.params());
  }

  @Test
  void everySampleIsUsedOncePerEpochWithUnevenBatches() {
    // 103 samples at batch 10: 11 steps whose sizes add up to 103.
    int n = 103;
    int steps = PartitionWorker.stepsPerEpoch(n, 10);
    assertThat(steps).isEqualTo(11);
    int total = 0;
    for (int s = 0; s < steps; s++) {
      int size = PartitionWorker.sliceStart(n, s + 1, steps) - PartitionWorker.sliceStart(n, s, steps);
      assertThat(size).isBetween(9, 10);
      total += size;
    }
    assertThat(total).isEqualTo(n);
  }

  @Test
  void fitsALinearRegression() {
    Rng rng = new Rng(5);
    int n = 500;
    float[] x = new float[n * 3];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        x[3 * i + j] = (float) rng.nextGaussian();
      }
      y[i] = 2 * x[3 * i] - x[3 * i + 1] + 0.5f * x[3 * i + 2] + 1;
    }
    DataSet d = new DataSet(Shape.of(3), 1, n, x, y);
    Model m = Model.init(Sequential.of(Shape.of(3), new Dense(1)), new MeanSquaredError(), 1);
    History h = new Trainer(config().withOptimizer(new SGD(0.1, 0.9, false, 0)).withEpochs(20)).fit(m, d, null);
    assertThat(h.last().loss()).isLessThan(1e-6);
    assertThat(m.params()[0]).isCloseTo(2f, org.assertj.core.data.Offset.offset(1e-3f));
    assertThat(m.params()[3]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-3f));
  }

  @Test
  void divergenceStopsWithEpochAndStep() {
    DataSet d = blobs(200, 9);
    for (int i = 0; i < d.features().length; i++) {
      d.features()[i] *= 1e18f;
    }
    Model m = Model.init(mlp(), new SoftmaxCrossEntropy(), 1);
    assertThatThrownBy(() -> new Trainer(config().withOptimizer(new SGD(1e6))).fit(m, d, null))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("epoch 1, step ")
        .hasMessageContaining("last good step");
    for (float v : m.params()) {
      assertThat(Float.isFinite(v)).isTrue();
    }
  }

  @Test
  void earlyStoppingStopsAndRestoresTheBestEpoch() {
    Model m = Model.init(mlp(), new SoftmaxCrossEntropy(), 1);
    TrainingConfig cfg = config().withEpochs(50).withOptimizer(new Adam(0.05))
        .withEarlyStopping(new EarlyStopping("val_loss", 2, 0.0, true));
    DataSet val = blobs(200, 12);
    History h = new Trainer(cfg).fit(m, blobs(300, 11), val);
    assertThat(h.epochs().size()).isLessThan(50);
    double best = Double.MAX_VALUE;
    for (double v : h.series("val_loss")) {
      best = Math.min(best, v);
    }
    assertThat(m.evaluate(val).meanLoss()).isEqualTo(best);
  }

  @Test
  void badDataIsRejectedBeforeTrainingWithTheRow() {
    Model m = Model.init(mlp(), new SoftmaxCrossEntropy(), 1);
    Trainer t = new Trainer(config());
    DataSet badLabel = blobs(50, 1);
    badLabel.labels()[17] = 3;
    assertThatThrownBy(() -> t.fit(m, badLabel, null)).isInstanceOf(DataException.class)
        .hasMessageContaining("training data, row 17").hasMessageContaining("[0, 3)");
    DataSet nan = blobs(50, 1);
    nan.features()[2 * 9 + 1] = Float.NaN;
    assertThatThrownBy(() -> t.fit(m, nan, null)).hasMessageContaining("row 9").hasMessageContaining("feature 1 is NaN");
    DataSet wide = new DataSet(Shape.of(4), 1, 2, new float[8], new float[2]);
    assertThatThrownBy(() -> t.fit(m, wide, null)).hasMessageContaining("4 features")
        .hasMessageContaining("model's input is (2)");
    DataSet empty = new DataSet(Shape.of(2), 1, 0, new float[0], new float[0]);
    assertThatThrownBy(() -> t.fit(m, empty, null)).hasMessageContaining("empty");
  }
}
