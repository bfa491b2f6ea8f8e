package io.sparkprop.core.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.io.IdxReader;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.core.layer.AvgPool2D;
import io.sparkprop.core.layer.BatchNormalization;
import io.sparkprop.core.layer.Conv2D;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.ELU;
import io.sparkprop.core.layer.Flatten;
import io.sparkprop.core.layer.GELU;
import io.sparkprop.core.layer.GlobalAveragePooling2D;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.layer.LayerModel;
import io.sparkprop.core.layer.LeakyReLU;
import io.sparkprop.core.layer.MaxPool2D;
import io.sparkprop.core.layer.Padding;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.layer.Sigmoid;
import io.sparkprop.core.layer.Softmax;
import io.sparkprop.core.layer.Tanh;
import io.sparkprop.core.layer.ZeroPadding2D;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.loss.SigmoidBinaryCrossEntropy;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every layer kind, and the bundled MNIST configs, exported and run in ONNX Runtime: its outputs
 * must match sparkprop's own predictions on 128 samples (probabilities within 1e-5).
 */
class OnnxExportTest {
  private static final int N = 128;
  private static final Shape FLAT = Shape.of(12);
  private static final Shape IMAGE = Shape.of(3, 9, 9);
  private static final Loss CE = new SoftmaxCrossEntropy();

  @TempDir
  Path tmp;

  @Test
  void dense() throws Exception {
    matches(Sequential.of(FLAT, new Dense(16), new Dense(5, false, null, null, null), new Dense(4)), CE);
    // Dense flattens an image sample itself.
    matches(Sequential.of(IMAGE, new Conv2D(2, 3), new Dense(4)), CE);
  }

  @Test
  void relu() throws Exception {
    matches(mlpWith(new ReLU()), CE);
  }

  @Test
  void leakyRelu() throws Exception {
    matches(mlpWith(new LeakyReLU(0.2)), CE);
  }

  @Test
  void elu() throws Exception {
    matches(mlpWith(new ELU(0.7)), CE);
  }

  @Test
  void exactGelu() throws Exception {
    matches(mlpWith(new GELU()), CE);
  }

  @Test
  void sigmoid() throws Exception {
    matches(mlpWith(new Sigmoid()), CE);
  }

  @Test
  void tanh() throws Exception {
    matches(mlpWith(new Tanh()), CE);
  }

  @Test
  void softmaxLayerOnFlatAndImageSamples() throws Exception {
    matches(Sequential.of(FLAT, new Dense(6), new Softmax()), new MeanSquaredError());
    matches(Sequential.of(IMAGE, new Conv2D(2, 3), new Softmax(), new Flatten(), new Dense(3)), CE);
  }

  @Test
  void dropoutIsTheIdentity() throws Exception {
    matches(mlpWith(new Dropout(0.5)), CE);
  }

  @Test
  void flatten() throws Exception {
    matches(Sequential.of(IMAGE, new Flatten(), new Dense(5)), CE);
  }

  @Test
  void conv2dWithStrideAndPadding() throws Exception {
    matches(cnnWith(new Conv2D(4, 3)), CE);
    matches(cnnWith(new Conv2D(4, 3).withStride(2)), CE);
    matches(cnnWith(new Conv2D(4, 4).withPadding(Padding.SAME)), CE);
    matches(cnnWith(new Conv2D(4, 3).withStride(2).withPadding(Padding.SAME).withBias(false)), CE);
    matches(cnnWith(new Conv2D(4, 2).withStride(3)), CE);
    matches(Sequential.of(IMAGE, new ZeroPadding2D(1, 2), new Conv2D(4, 3).withStride(2), new Flatten(), new Dense(3)),
        CE);
  }

  @Test
  void maxPool2d() throws Exception {
    matches(cnnWith(new MaxPool2D(2)), CE);
    matches(cnnWith(new MaxPool2D(3, 2, Padding.SAME)), CE);
    matches(cnnWith(new MaxPool2D(2, 1, Padding.SAME)), CE);
  }

  @Test
  void avgPool2dCountsOnlyRealCells() throws Exception {
    matches(cnnWith(new AvgPool2D(2)), CE);
    matches(cnnWith(new AvgPool2D(3, 2, Padding.SAME)), CE);
    matches(cnnWith(new AvgPool2D(4, 3, Padding.SAME)), CE);
  }

  @Test
  void globalAveragePooling2d() throws Exception {
    matches(Sequential.of(IMAGE, new Conv2D(4, 3), new GlobalAveragePooling2D(), new Dense(3)), CE);
  }

  @Test
  void batchNormalizationUsesTheRunningStatistics() throws Exception {
    matches(mlpWith(new BatchNormalization()), CE);
    matches(Sequential.of(IMAGE, new Conv2D(4, 3).withBias(false), new BatchNormalization(0.1, 1e-3),
        new ReLU(), new Flatten(), new Dense(3)), CE);
  }

  @Test
  void sigmoidClassifierAndRegressionOutputs() throws Exception {
    matches(Sequential.of(FLAT, new Dense(8), new Tanh(), new Dense(1)), new SigmoidBinaryCrossEntropy());
    matches(Sequential.of(FLAT, new Dense(8), new ReLU(), new Dense(3)), new MeanSquaredError());
  }

  @Test
  void mnistMlpConfigTrainedForOneEpoch() throws Exception {
    IdxReader.Mnist mnist = IdxReader.mnist(IdxReader.findUp(Path.of("").toAbsolutePath(), IdxReader.MNIST_SAMPLE),
        false);
    Model model = configModel("mnist-mlp.json");
    new Trainer(TrainingConfig.DEFAULTS.withOptimizer(new Adam(1e-3)).withEpochs(1).withBatchSize(128).withSeed(1))
        .fit(model, mnist.train(), null);
    DataSet test = mnist.test();
    compare(model, Arrays.copyOf(test.features(), 1000 * 784), 1000);
  }

  @Test
  void mnistCnnConfig() throws Exception {
    IdxReader.Mnist mnist = IdxReader.mnist(IdxReader.findUp(Path.of("").toAbsolutePath(), IdxReader.MNIST_SAMPLE),
        true);
    Model model = configModel("mnist-cnn.json");
    randomizeOffsets(model, 5);
    compare(model, Arrays.copyOf(mnist.test().features(), N * 784), N);
  }

  @Test
  void metadataNamesSparkpropItsVersionAndTheTraining() throws Exception {
    Model model = Model.init(mlpWith(new ReLU()), CE, 3);
    ObjectNode training = Json.mapper().createObjectNode().put("epochs", 7);
    Path file = tmp.resolve("m.onnx");
    ModelIO.exportOnnx(model, training, file);
    float[] x = gaussian(N * 12, 1);
    OnnxRuntimeCheck.Run run = OnnxRuntimeCheck.run(Files.readAllBytes(file), x, N, FLAT.dims());
    assertThat(run.metadata()).containsEntry("producer", "sparkprop")
        .containsEntry("sparkprop.version", OnnxExport.version()).containsEntry("sparkprop.training", "{\"epochs\":7}");
    assertThat(OnnxExport.version()).isNotEqualTo("unknown");
    assertThat(Json.fromJson(run.metadata().get("sparkprop.architecture"), Sequential.class))
        .isEqualTo(model.architecture());
    assertThat(run.inputShape()).containsExactly(-1, 12);
    assertThat(run.shapes().get(OnnxExport.LOGITS)).containsExactly(N, 4);
    assertThat(run.shapes().get(OnnxExport.PROBABILITIES)).containsExactly(N, 4);
  }

  @Test
  void aLayerWithoutAnOnnxFormFailsNamingItAndWritesNothing() throws Exception {
    Model model = Model.init(Sequential.of(FLAT, new Dense(4), new NoOnnxForm()), CE, 1);
    Path file = tmp.resolve("out").resolve("m.onnx");
    assertThatThrownBy(() -> ModelIO.exportOnnx(model, file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layer 1 (no_onnx_form, NoOnnxForm) has no ONNX form");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void anUnwritablePathFailsAndLeavesNoFile() throws Exception {
    Model model = Model.init(mlpWith(new ReLU()), CE, 1);
    Path notAFolder = Files.writeString(tmp.resolve("plain-file"), "x");
    assertThatThrownBy(() -> ModelIO.exportOnnx(model, notAFolder.resolve("m.onnx")))
        .isInstanceOf(java.io.IOException.class);
    try (var files = Files.list(tmp)) {
      assertThat(files).containsExactly(notAFolder);
    }
  }

  /** A layer kind the exporter does not know (like a newly added one before its form is written). */
  record NoOnnxForm() implements Layer {
    @Override
    public Shape outputShape(Shape input) {
      return input;
    }

    @Override
    public LayerModel bind(Shape input, ParamLayout layout, int index) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String kind() {
      return "no_onnx_form";
    }
  }

  private static Sequential mlpWith(Layer layer) {
    return Sequential.of(FLAT, new Dense(16), layer, new Dense(4));
  }

  private static Sequential cnnWith(Layer layer) {
    return Sequential.of(IMAGE, layer, new ReLU(), new Flatten(), new Dense(3));
  }

  /** Exports {@code arch} with random parameters and compares on N Gaussian samples. */
  private void matches(Sequential arch, Loss loss) throws Exception {
    Model model = Model.init(arch, loss, 11);
    randomizeOffsets(model, 12);
    compare(model, gaussian(N * arch.inputShape().size(), 13), N);
  }

  /** ONNX Runtime against predict/predictRaw on {@code n} samples of the exported file. */
  private void compare(Model model, float[] x, int n) throws Exception {
    Path file = tmp.resolve("model.onnx");
    ModelIO.exportOnnx(model, file);
    OnnxRuntimeCheck.Run run = OnnxRuntimeCheck.run(Files.readAllBytes(file), x, n,
        model.architecture().inputShape().dims());
    float[] raw = model.predictRaw(x, n);
    float[] pred = model.predict(x, n);
    String arch = model.architecture().layers().toString();
    if (model.loss().isClassification()) {
      assertThat(OnnxRuntimeCheck.maxAbsDiff(run.outputs().get(OnnxExport.PROBABILITIES), pred))
          .as("probabilities of %s", arch).isLessThanOrEqualTo(1e-5);
      assertThat(OnnxRuntimeCheck.maxRelDiff(run.outputs().get(OnnxExport.LOGITS), raw))
          .as("logits of %s", arch).isLessThanOrEqualTo(1e-4);
    } else {
      assertThat(OnnxRuntimeCheck.maxRelDiff(run.outputs().get(OnnxExport.PREDICTIONS), pred))
          .as("predictions of %s", arch).isLessThanOrEqualTo(1e-5);
    }
  }

  /**
   * Random biases, batch-norm shifts and statistics (a fresh model has zeros and ones there,
   * which would leave those tensors' wiring untested).
   */
  private static void randomizeOffsets(Model model, long seed) {
    Rng rng = new Rng(seed);
    float[] p = model.params();
    for (ParamLayout.Entry e : model.architecture().layout().entries()) {
      for (int i = e.offset(); i < e.end(); i++) {
        switch (e.spec().name()) {
          case "bias", "beta", "running_mean" -> p[i] = (float) (0.5 * rng.nextGaussian());
          case "gamma" -> p[i] = (float) (0.5 + rng.nextDouble());
          case "running_var" -> p[i] = (float) (0.3 + 2 * rng.nextDouble());
          default -> {
          }
        }
      }
    }
  }

  private static float[] gaussian(int n, long seed) {
    Rng rng = new Rng(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return v;
  }

  /** The model of a bundled example config (its "model" section), freshly initialised with the config's seed. */
  private static Model configModel(String name) throws Exception {
    Path config = IdxReader.findUp(Path.of("").toAbsolutePath(), "examples/configs").resolve(name);
    JsonNode m = Json.readTree(Files.newInputStream(config), config.toString()).get("model");
    ObjectNode arch = Json.mapper().createObjectNode();
    arch.set("inputShape", m.get("inputShape"));
    arch.set("layers", m.get("layers"));
    Sequential s = Json.treeToValue(arch, Sequential.class, name);
    return Model.init(s, Json.treeToValue(m.get("loss"), Loss.class, name), m.get("seed").asLong());
  }
}
