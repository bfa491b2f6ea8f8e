package io.sparkprop.core.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.io.IdxReader;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.layer.Bidirectional;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.Flatten;
import io.sparkprop.core.layer.GRU;
import io.sparkprop.core.layer.GlobalAveragePooling1D;
import io.sparkprop.core.layer.GlobalMaxPooling1D;
import io.sparkprop.core.layer.LSTM;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.layer.LayerNormalization;
import io.sparkprop.core.layer.MultiHeadAttention;
import io.sparkprop.core.layer.PositionalEmbedding;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.layer.SimpleRNN;
import io.sparkprop.core.layer.Tanh;
import io.sparkprop.core.layer.TimeDistributed;
import io.sparkprop.core.layer.TransformerEncoder;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The sequence layers exported and run in ONNX Runtime on token ids of variable length (trailing
 * zeros are padding; some ids inside a sequence are 0 too, one row is all zeros): probabilities
 * within 1e-5 of sparkprop's own predictions on 160 samples. The graph takes only the ids.
 */
class OnnxSequenceExportTest {
  private static final int N = 160;
  private static final int T = 7;
  private static final int VOCAB = 20;
  private static final Shape IDS = Shape.of(T);
  private static final Loss CE = new SoftmaxCrossEntropy();

  @Test
  void embeddingIsAGatherAndAveragePoolingCountsRealStepsOnly() throws Exception {
    matches(new Embedding(VOCAB, 8), new GlobalAveragePooling1D(), new Dense(3));
  }

  @Test
  void maxPoolingIgnoresPaddedSteps() throws Exception {
    // tanh and a dense per step give negative values, so a max over padded zeros would show
    matches(new Embedding(VOCAB, 8), new TimeDistributed(new Dense(6)), new Tanh(), new GlobalMaxPooling1D(),
        new Dense(3));
  }

  @Test
  void timeDistributedDenseZeroesPaddedSteps() throws Exception {
    matches(new Embedding(VOCAB, 8), new TimeDistributed(new Dense(5)), new Flatten(), new Dense(3));
  }

  @Test
  void positionalEmbedding() throws Exception {
    matches(new Embedding(VOCAB, 8), new PositionalEmbedding(10), new GlobalAveragePooling1D(), new Dense(3));
  }

  @Test
  void simpleRnn() throws Exception {
    matches(new Embedding(VOCAB, 8), new SimpleRNN(5), new Dense(3));
    matches(new Embedding(VOCAB, 8), new SimpleRNN(5, true), new Flatten(), new Dense(3));
  }

  @Test
  void lstmLastStateAndSequences() throws Exception {
    matches(new Embedding(VOCAB, 8), new LSTM(5), new Dense(3));
    matches(new Embedding(VOCAB, 8), new LSTM(5, true), new Flatten(), new Dense(3));
  }

  @Test
  void gruWithTheResetGateAfterTheRecurrentBias() throws Exception {
    matches(new Embedding(VOCAB, 8), new GRU(5), new Dense(3));
    matches(new Embedding(VOCAB, 8), new GRU(5, true), new GlobalMaxPooling1D(), new Dense(3));
  }

  @Test
  void bidirectional() throws Exception {
    matches(new Embedding(VOCAB, 8), new Bidirectional(new LSTM(4)), new Dense(3));
    matches(new Embedding(VOCAB, 8), new Bidirectional(new GRU(4, true)), new Flatten(), new Dense(3));
    matches(new Embedding(VOCAB, 8), new Bidirectional(new SimpleRNN(3, true)), new GlobalAveragePooling1D(),
        new Dense(3));
  }

  @Test
  void stackedRecurrentLayersWithDropout() throws Exception {
    matches(new Embedding(VOCAB, 8), new Dropout(0.3), new LSTM(6, true), new Dropout(0.2), new GRU(4), new Dense(3));
  }

  @Test
  void layerNormalizationOnSequencesAndFlatSamples() throws Exception {
    matches(new Embedding(VOCAB, 8), new LayerNormalization(), new Flatten(), new Dense(3));
    Model flat = model(Sequential.of(Shape.of(12), new Dense(16), new LayerNormalization(1e-3), new ReLU(),
        new Dense(4)));
    float[] x = gaussian(N * 12, 5);
    OnnxRuntimeCheck.Run run = OnnxRuntimeCheck.run(OnnxExport.toBytes(flat, null), x, N, new int[] {12});
    assertClose(run, flat.predict(x, N), flat);
  }

  @Test
  void multiHeadAttentionWithTheKeyPaddingMask() throws Exception {
    matches(new Embedding(VOCAB, 8), new MultiHeadAttention(2), new GlobalAveragePooling1D(), new Dense(3));
    matches(new Embedding(VOCAB, 8), new MultiHeadAttention(4), new Flatten(), new Dense(3));
  }

  @Test
  void transformerEncoderPostNormReluAndPreNormGelu() throws Exception {
    matches(new Embedding(VOCAB, 8), new PositionalEmbedding(T), new TransformerEncoder(2, 16),
        new GlobalAveragePooling1D(), new Dense(3));
    matches(new Embedding(VOCAB, 8), new TransformerEncoder(2, 12, 0.1, "gelu", true, 1e-5),
        new TransformerEncoder(4, 8), new Flatten(), new Dense(3));
  }

  @Test
  void floatSequencesOfFullLengthHaveEveryStepReal() throws Exception {
    Model m = model(Sequential.of(Shape.of(T, 5), new LSTM(4, true), new LayerNormalization(),
        new MultiHeadAttention(2), new GlobalMaxPooling1D(), new Dense(3)));
    float[] x = gaussian(N * T * 5, 9);
    int[] full = new int[N];
    java.util.Arrays.fill(full, T);
    OnnxRuntimeCheck.Run run = OnnxRuntimeCheck.runSequences(OnnxExport.toBytes(m, null), x, N, T, 5, full);
    assertClose(run, m.predict(x, N), m);
  }

  @Test
  void floatSequencesWithTheirLengthsMaskPaddedSteps() throws Exception {
    Layer[][] stacks = {
        {new LSTM(4, true), new LayerNormalization(), new MultiHeadAttention(2), new GlobalMaxPooling1D(), new Dense(3)},
        {new Bidirectional(new GRU(3)), new Dense(3)},
        {new SimpleRNN(4, true), new TransformerEncoder(2, 8), new GlobalAveragePooling1D(), new Dense(3)}};
    Rng rng = new Rng(31);
    int[] lengths = new int[N];
    for (int r = 0; r < N; r++) {
      lengths[r] = r == 0 ? 1 : r == 1 ? T : 1 + rng.nextInt(T);
    }
    float[] x = gaussian(N * T * 5, 10);
    for (Layer[] layers : stacks) {
      Model m = model(Sequential.of(Shape.of(T, 5), layers));
      float[] expected = m.predict(DataSet.ofSequences(Shape.of(T, 5), 1, N, x, new float[N], lengths));
      assertThat(OnnxRuntimeCheck.maxAbsDiff(expected, m.predict(x, N))).as("the lengths change %s's outputs",
          m.architecture().layers()).isGreaterThan(1e-3);
      byte[] onnx = OnnxExport.toBytes(m, null);
      assertClose(OnnxRuntimeCheck.runSequences(onnx, x, N, T, 5, lengths), expected, m);
    }
  }

  @Test
  void aFloatSequenceModelWithoutMaskedLayersTakesNoLengths() throws Exception {
    Model m = model(Sequential.of(Shape.of(T, 5), new Flatten(), new Dense(3)));
    float[] x = gaussian(N * T * 5, 11);
    byte[] onnx = OnnxExport.toBytes(m, null);
    assertThatThrownBy(() -> OnnxRuntimeCheck.runSequences(onnx, x, N, T, 5, new int[N]))
        .hasMessageContaining("inputs");
    assertClose(OnnxRuntimeCheck.run(onnx, x, N, new int[] {T, 5}), m.predict(x, N), m);
  }

  @Test
  void bundledSpamLstmAndTransformerConfigsOnLongSequences() throws Exception {
    for (String name : new String[] {"spam-lstm.json", "spam-transformer.json"}) {
      Path config = IdxReader.findUp(Path.of("").toAbsolutePath(), "examples/configs").resolve(name);
      JsonNode section = Json.readTree(Files.newInputStream(config), config.toString()).get("model");
      ObjectNode archJson = Json.mapper().createObjectNode();
      archJson.set("inputShape", section.get("inputShape"));
      archJson.set("layers", section.get("layers"));
      Sequential arch = Json.treeToValue(archJson, Sequential.class, name);
      Model m = randomized(Model.init(arch, CE, section.get("seed").asLong()));
      int t = arch.inputShape().dim(0);
      int n = 100;
      int vocab = ((Embedding) arch.layers().get(0)).inputDim();
      Rng rng = new Rng(4);
      int[] ids = new int[n * t];
      for (int r = 0; r < n; r++) {
        int len = 1 + rng.nextInt(t);
        for (int i = 0; i < len; i++) {
          ids[r * t + i] = 1 + rng.nextInt(vocab - 1);
        }
      }
      OnnxRuntimeCheck.Run run = OnnxRuntimeCheck.runIds(OnnxExport.toBytes(m, null), ids, n, t);
      assertClose(run, m.predict(DataSet.ofTokens(t, 1, n, ids, new float[n], null)), m);
    }
  }

  @Test
  void theTokenModelTakesInt64IdsWithADynamicBatch() throws Exception {
    Model m = model(Sequential.of(IDS, new Embedding(VOCAB, 4), new GRU(3), new Dense(2)));
    int[] ids = ids(5, 3);
    OnnxRuntimeCheck.Run run = OnnxRuntimeCheck.runIds(OnnxExport.toBytes(m, null), ids, 5, T);
    assertThat(run.inputShape()).containsExactly(-1, T);
    assertThat(run.shapes().get(OnnxExport.PROBABILITIES)).containsExactly(5, 2);
  }

  @Test
  void anEmbeddingAfterTheFirstLayerFailsNamingIt() {
    Model m = model(Sequential.of(IDS, new Dense(T), new Embedding(VOCAB, 4), new LSTM(3), new Dense(2)));
    assertThatThrownBy(() -> OnnxExport.toBytes(m, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layer 1 (embedding) must be the model's first layer");
  }

  /** Exports a token model of {@code layers} with random parameters and compares on N id rows. */
  private static void matches(Layer... layers) throws Exception {
    Model m = model(Sequential.of(IDS, layers));
    int[] ids = ids(N, 17);
    DataSet data = DataSet.ofTokens(T, 1, N, ids, new float[N], null);
    OnnxRuntimeCheck.Run run = OnnxRuntimeCheck.runIds(OnnxExport.toBytes(m, null), ids, N, T);
    assertClose(run, m.predict(data), m);
  }

  private static void assertClose(OnnxRuntimeCheck.Run run, float[] expected, Model m) {
    assertThat(OnnxRuntimeCheck.maxAbsDiff(run.outputs().get(OnnxExport.PROBABILITIES), expected))
        .as("probabilities of %s", m.architecture().layers()).isLessThanOrEqualTo(1e-5);
  }

  /**
   * Rows of variable length: row 0 all padding (length 1), row 1 full, the others 1..T real steps
   * ending on a non-zero id, with some zero ids inside.
   */
  private static int[] ids(int n, long seed) {
    Rng rng = new Rng(seed);
    int[] ids = new int[n * T];
    for (int r = 1; r < n; r++) {
      int len = r == 1 ? T : 1 + rng.nextInt(T);
      for (int t = 0; t < len - 1; t++) {
        ids[r * T + t] = rng.nextInt(VOCAB);
      }
      ids[r * T + len - 1] = 1 + rng.nextInt(VOCAB - 1);
    }
    return ids;
  }

  /** A model with random biases, shifts and scales, and embeddings of unit variance. */
  private static Model model(Sequential arch) {
    return randomized(Model.init(arch, CE, 21));
  }

  private static Model randomized(Model m) {
    Sequential arch = m.architecture();
    Rng rng = new Rng(22);
    float[] p = m.params();
    for (ParamLayout.Entry e : arch.layout().entries()) {
      String name = e.spec().name();
      for (int i = e.offset(); i < e.end(); i++) {
        if (name.endsWith("bias") || name.endsWith("beta")) {
          p[i] = (float) (0.5 * rng.nextGaussian());
        } else if (name.endsWith("gamma")) {
          p[i] = (float) (0.5 + rng.nextDouble());
        } else if (name.equals("embeddings")) {
          p[i] = (float) rng.nextGaussian();
        }
      }
    }
    return m;
  }

  private static float[] gaussian(int n, long seed) {
    Rng rng = new Rng(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return v;
  }
}
