package io.sparkprop.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.data.DataException;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.testing.Golden;
import io.sparkprop.core.testing.GradientCheck;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Embedding against PyTorch, by finite differences, masked, and token data through the trainer. */
class EmbeddingTest {

  @Test
  void matchesPyTorchWithRepeatedIds() {
    Golden g = Golden.load("embedding");
    Golden.Tensor w = g.tensor("weight");
    Golden.Tensor up = g.tensor("upstream_gradient");
    int batch = up.dim(0);
    int steps = up.dim(1);
    int[] ids = new int[batch * steps];
    for (int r = 0; r < batch; r++) {
      for (int t = 0; t < steps; t++) {
        ids[r * steps + t] = g.node("ids").get(r).get(t).asInt();
      }
    }
    Sequential arch = Sequential.of(Shape.of(steps), new Embedding(w.dim(0), w.dim(1)));
    Network net = arch.network();
    float[] p = w.floats();
    float[] out = net.forward(p, new float[0], ids, null, batch, true, 0L);
    CnnTesting.assertClose("output", out, 0, 1.0, g.tensor("expected_output").data(), 1e-5);
    float[] grads = new float[p.length];
    net.backward(p, up.floats(), grads, null, batch, true);
    CnnTesting.assertClose("weight gradient", grads, 0, 1.0, g.tensor("expected_weight_gradient").data(), 1e-5);
  }

  @Test
  void gradientMatchesFiniteDifferencesMaskedAndNot() {
    Sequential arch = Sequential.of(Shape.of(5), new Embedding(6, 3), new Flatten(), new Dense(2));
    float[] x = {1, 2, 2, 5, 3, 4, 0, 1, 0, 0, 5, 5, 5, 5, 2};
    float[] p = arch.initialParams(3);
    float[] y = LayerGradientTest.uniform(6, 1.0, 4);
    GradientCheck.check(arch, new MeanSquaredError(), p, x, null, y, 2, 3, true, GradientCheck.Tolerance.FLOAT);
    GradientCheck.check(arch, new MeanSquaredError(), p, x, new int[] {5, 2, 1}, y, 2, 3, true,
        GradientCheck.Tolerance.FLOAT);
  }

  @Test
  void paddedStepsGiveZerosAndNoGradient() {
    Sequential arch = Sequential.of(Shape.of(3), new Embedding(4, 2));
    Network net = arch.network();
    float[] p = {1, 2, 3, 4, 5, 6, 7, 8};
    float[] out = net.forward(p, new float[0], new int[] {3, 1, 2}, new int[] {1}, 1, true, 0L);
    assertThat(Arrays.copyOf(out, 6)).containsExactly(7, 8, 0, 0, 0, 0);
    float[] grads = new float[p.length];
    net.backward(p, new float[] {1, 1, 1, 1, 1, 1}, grads, null, 1, true);
    assertThat(grads).containsExactly(0, 0, 0, 0, 0, 0, 1, 1);
  }

  /** Ids as ints (token data) and as floats (a float model input) train to the same bits. */
  @Test
  void tokenDataTrainsAsItsFloatCopy() {
    int n = 40;
    int steps = 6;
    int[] ids = new int[n * steps];
    float[] x = new float[n * steps];
    float[] labels = new float[n];
    for (int r = 0; r < n; r++) {
      for (int t = 0; t < steps; t++) {
        ids[r * steps + t] = (r * 7 + t * 3) % 9;
        x[r * steps + t] = ids[r * steps + t];
      }
      labels[r] = r % 2;
    }
    Sequential arch = Sequential.of(Shape.of(steps), new Embedding(9, 4), new Flatten(), new Dense(2));
    TrainingConfig cfg = TrainingConfig.DEFAULTS.withOptimizer(new Adam(0.01)).withBatchSize(8).withEpochs(2).withSeed(5);
    int[] full = new int[n];
    Arrays.fill(full, steps);
    Model a = Model.init(arch, new SoftmaxCrossEntropy(), 1);
    Model b = a.copy();
    new Trainer(cfg).fit(a, DataSet.ofTokens(steps, 1, n, ids, labels, full), null);
    new Trainer(cfg).fit(b, new DataSet(Shape.of(steps), 1, n, x, labels), null);
    assertThat(a.params()).isNotEqualTo(arch.initialParams(1));
    assertThat(a.params()).containsExactly(b.params());
  }

  @Test
  void lengthsComeFromTrailingPaddingAndIdsAreChecked() {
    int[] ids = {4, 0, 2, 0, 0, 0, 0, 0, 3, 1, 1, 1};
    DataSet d = DataSet.ofTokens(4, 1, 3, ids, new float[3], null);
    assertThat(d.lengths()).containsExactly(3, 1, 4);
    Sequential arch = Sequential.of(Shape.of(4), new Embedding(4, 2), new Flatten(), new Dense(2));
    assertThatThrownBy(() -> d.checkFits(arch, new SoftmaxCrossEntropy(), "train.jsonl"))
        .isInstanceOf(DataException.class)
        .hasMessage("train.jsonl, row 0: token id 4 at position 0 is outside the embedding's vocabulary [0, 4)");
    int big = (1 << 24) + 1;
    DataSet g = DataSet.ofTokens(1, 1, 2, new int[] {big, big + 2}, new float[2], null).gather(new int[] {1, 0}, 0, 2);
    assertThat(g.tokens()).containsExactly(big + 2, big);
  }
}
