package io.sparkprop.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.core.layer.Bidirectional;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.GRU;
import io.sparkprop.core.layer.LSTM;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.tensor.Shape;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A token model saves, loads and predicts the same; prediction respects each sample's length. */
class SequenceModelTest {

  static DataSet tokens() {
    int[] ids = {3, 1, 4, 1, 5, 9, 2, 6, 0, 0, 0, 0, 5, 3, 5, 0, 0, 0, 8, 0, 0, 0, 0, 0};
    return DataSet.ofTokens(6, 1, 4, ids, new float[] {0, 1, 0, 1}, null);
  }

  @Test
  void savesLoadsAndPredictsTheSame(@TempDir Path dir) throws Exception {
    Sequential arch = Sequential.of(Shape.of(6), new Embedding(10, 4), new Bidirectional(new GRU(3, true)),
        new LSTM(5), new Dense(2));
    Model m = Model.init(arch, new SoftmaxCrossEntropy(), 3);
    ModelIO.save(m, dir);
    Model back = ModelIO.load(dir);
    assertThat(back.architecture()).isEqualTo(arch);
    assertThat(back.predict(tokens())).containsExactly(m.predict(tokens()));
    assertThat(arch.summary()).contains("bidirectional_1 (Bidirectional)").contains("(None, 6, 6)");
  }

  @Test
  void paddingBeyondTheLengthDoesNotChangeThePrediction() {
    Model m = Model.init(Sequential.of(Shape.of(6), new Embedding(10, 4), new LSTM(5), new Dense(2)),
        new SoftmaxCrossEntropy(), 4);
    float[] padded = m.predictRaw(tokens());
    // rows 1-3 (lengths 2, 3, 1) again, in a model of 3 steps with the same parameters
    int[] shortIds = {3, 1, 4, 2, 6, 0, 5, 3, 5, 8, 0, 0};
    Model shortModel = new Model(Sequential.of(Shape.of(3), new Embedding(10, 4), new LSTM(5), new Dense(2)),
        new SoftmaxCrossEntropy(), m.params());
    float[] cut = shortModel.predictRaw(DataSet.ofTokens(3, 1, 4, shortIds, new float[4], null));
    for (int i = 2; i < 8; i++) {
      assertThat(cut[i]).isCloseTo(padded[i], org.assertj.core.data.Offset.offset(1e-6f));
    }
    assertThat(cut[0]).isNotEqualTo(padded[0]);
  }
}
