package io.sparkprop.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparkprop.core.data.DataException;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Shape;
import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: sample and class weights enter the loss and the gradient sum exactly. With one batch
 * per epoch (so both runs see the same samples in every step), a sample of weight k trains as
 * that sample repeated k times; only the order of float additions differs.
 */
class SampleWeightsTest {
  private static final TrainingConfig CONFIG = TrainingConfig.DEFAULTS.withOptimizer(new Adam(0.05)).withEpochs(6)
      .withBatchSize(4096).withSeed(3);

  private static Sequential mlp() {
    return Sequential.of(Shape.of(2), new Dense(8), new ReLU(), new Dense(3));
  }

  /** {@code d} with sample {@code r} repeated {@code times[r]} times. */
  private static DataSet repeated(DataSet d, int[] times) {
    int n = Arrays.stream(times).sum();
    float[] x = new float[n * 2];
    float[] y = new float[n * d.labelWidth()];
    int k = 0;
    for (int r = 0; r < d.size(); r++) {
      for (int t = 0; t < times[r]; t++, k++) {
        System.arraycopy(d.features(), r * 2, x, k * 2, 2);
        System.arraycopy(d.labels(), r * d.labelWidth(), y, k * d.labelWidth(), d.labelWidth());
      }
    }
    return new DataSet(Shape.of(2), d.labelWidth(), n, x, y);
  }

  private static void assertSameTraining(Sequential arch, Loss loss, DataSet weighted, DataSet repeated) {
    Model a = Model.init(arch, loss, 9);
    Model b = a.copy();
    History ha = new Trainer(CONFIG).fit(a, weighted, null);
    History hb = new Trainer(CONFIG).fit(b, repeated, null);
    for (int e = 0; e < CONFIG.epochs(); e++) {
      assertThat(ha.series("loss")[e]).as("loss of epoch " + (e + 1)).isCloseTo(hb.series("loss")[e], within(1e-6));
    }
    for (int i = 0; i < a.params().length; i++) {
      assertThat(a.params()[i]).as("parameter " + i).isCloseTo(b.params()[i], Offset.offset(2e-5f));
    }
  }

  @Test
  void weightTwoOnARowEqualsThatRowTwice() {
    DataSet d = TrainerTest.blobs(50, 4);
    float[] w = new float[50];
    Arrays.fill(w, 1);
    w[0] = 2;
    w[17] = 2;
    w[30] = 0; // weight 0: as if the row were absent
    int[] times = new int[50];
    Arrays.fill(times, 1);
    times[0] = 2;
    times[17] = 2;
    times[30] = 0;
    assertSameTraining(mlp(), new SoftmaxCrossEntropy(), d.withWeights(w), repeated(d, times));
  }

  @Test
  void weightsWorkForRegressionToo() {
    DataSet blobs = TrainerTest.blobs(40, 5);
    float[] y = new float[40];
    for (int r = 0; r < 40; r++) {
      y[r] = blobs.features()[2 * r] * 0.5f - blobs.labels()[r];
    }
    DataSet d = new DataSet(Shape.of(2), 1, 40, blobs.features(), y);
    float[] w = new float[40];
    int[] times = new int[40];
    for (int r = 0; r < 40; r++) {
      times[r] = 1 + r % 3;
      w[r] = times[r];
    }
    assertSameTraining(Sequential.of(Shape.of(2), new Dense(6), new ReLU(), new Dense(1)), new MeanSquaredError(),
        d.withWeights(w), repeated(d, times));
  }

  @Test
  void classWeightsEqualRepeatingTheClassesRows() {
    DataSet d = TrainerTest.blobs(45, 6);
    double[] classWeights = {1, 3, 2};
    int[] times = new int[45];
    for (int r = 0; r < 45; r++) {
      times[r] = (int) classWeights[(int) d.labels()[r]];
    }
    assertSameTraining(mlp(), new SoftmaxCrossEntropy(), d.withClassWeights(classWeights), repeated(d, times));
  }

  /** scikit-learn's compute_class_weight("balanced"): n / (classes · n_c). */
  @Test
  void balancedClassWeights() {
    float[] labels = {0, 0, 0, 0, 0, 0, 1, 1, 2, 0};
    DataSet d = new DataSet(Shape.of(1), 1, 10, new float[10], labels);
    assertThat(d.balancedClassWeights(3)).containsExactly(new double[] {10 / 21.0, 10 / 6.0, 10 / 3.0},
        within(1e-12));
    assertThat(d.withClassWeights(d.balancedClassWeights(3)).weights()[6]).isEqualTo((float) (10 / 6.0));
    assertThatThrownBy(() -> d.withWeights(new float[] {1, 1, 1, 1, 1, 1, 1, Float.NaN, 1, 1}))
        .isInstanceOf(DataException.class).hasMessage("row 7: sample weight NaN (weights must be finite and >= 0)");
    assertThat(d.slice(6, 9).weights()).isNull();
    assertThat(d.withClassWeights(new double[] {1, 2, 3}).slice(6, 9).weights()).containsExactly(2, 2, 3);
  }
}
