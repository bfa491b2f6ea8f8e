package io.sparkprop.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.GlobalMaxPooling1D;
import io.sparkprop.core.layer.PositionalEmbedding;
import io.sparkprop.core.layer.TransformerEncoder;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * A small Transformer learns a task that needs order: padded sequences of random ids in [2, 12)
 * whose label says whether id 2 comes before id 3 (both occur once). Floor: 90% on held-out data.
 */
class TransformerLearningTest {

  static DataSet data(int n, int steps, long seed) {
    Rng rng = new Rng(seed);
    int[] ids = new int[n * steps];
    int[] lengths = new int[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int len = 4 + rng.nextInt(steps - 3);
      for (int t = 0; t < len; t++) {
        ids[i * steps + t] = 4 + rng.nextInt(8);
      }
      int a = rng.nextInt(len);
      int b = rng.nextInt(len - 1);
      b = b >= a ? b + 1 : b;
      ids[i * steps + a] = 2;
      ids[i * steps + b] = 3;
      y[i] = a < b ? 1 : 0;
      lengths[i] = len;
    }
    return DataSet.ofTokens(steps, 1, n, ids, y, lengths);
  }

  @Test
  void learnsWhichTokenComesFirst() {
    int steps = 10;
    Sequential arch = Sequential.of(Shape.of(steps), new Embedding(12, 16), new PositionalEmbedding(steps),
        new TransformerEncoder(2, 32, 0.0, "gelu", false, 1e-5), new GlobalMaxPooling1D(), new Dense(2));
    Model model = Model.init(arch, new SoftmaxCrossEntropy(), 3);
    TrainingConfig cfg = TrainingConfig.DEFAULTS.withOptimizer(new Adam(0.003)).withEpochs(25).withBatchSize(32)
        .withSeed(4);
    new Trainer(cfg).fit(model, data(1500, steps, 1), null);
    LossSums s = model.evaluate(data(500, steps, 2));
    assertThat((double) s.correct() / s.count()).isGreaterThanOrEqualTo(0.90);
  }
}
