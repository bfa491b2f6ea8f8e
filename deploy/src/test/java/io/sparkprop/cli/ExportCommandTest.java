package io.sparkprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --format onnx}: the written file runs in ONNX Runtime with the saved model's
 * predictions and training information; bad input gives one line and no file. No Spark needed.
 */
class ExportCommandTest {
  private static final int N = 100;
  @TempDir
  static Path tmp;
  static Path saved;
  static Model model;

  @BeforeAll
  static void save() throws Exception {
    model = Model.init(Sequential.of(Shape.of(20), new Dense(32), new ReLU(), new Dense(5)),
        new SoftmaxCrossEntropy(), 4);
    ObjectNode training = Json.mapper().createObjectNode().put("epochs", 3);
    saved = tmp.resolve("model");
    ModelIO.save(model, training, saved);
  }

  @Test
  void exportsAnOnnxFileThatOnnxRuntimeRunsWithTheModelsPredictions() throws Exception {
    Path file = tmp.resolve("served").resolve("model.onnx");
    CliRun r = CliRun.cli("export", "--model", saved.toString(), "--format", "onnx", "--output",
        file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("exported " + saved + " (onnx, 837 parameters) to " + file);
    float[] x = new float[N * 20];
    Rng rng = new Rng(9);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    float[] expected = model.predict(x, N);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions());
         OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {N, 20});
         OrtSession.Result out = s.run(Map.of("features", t))) {
      assertThat(s.getMetadata().getCustomMetadata()).containsEntry("sparkprop.training", "{\"epochs\":3}");
      FloatBuffer p = ((OnnxTensor) out.get("probabilities").orElseThrow()).getFloatBuffer();
      assertThat(p.remaining()).isEqualTo(expected.length);
      double max = 0;
      for (float e : expected) {
        max = Math.max(max, Math.abs(p.get() - e));
      }
      assertThat(max).isLessThanOrEqualTo(1e-5);
    }
  }

  @Test
  void thePreprocessingOfTheModelFolderIsInTheGraph() throws Exception {
    Path folder = tmp.resolve("standardised");
    ModelIO.save(model, folder);
    double[] mean = new double[20];
    double[] scale = new double[20];
    for (int i = 0; i < 20; i++) {
      mean[i] = 3 * i - 7;
      scale[i] = i == 5 ? 0 : 1.0 / (1 + i);
    }
    double[] labels = {-2, 0.5, 3, 7, 11};
    Files.writeString(folder.resolve("preprocessing.json"), Json.toJson(Map.of("format", 1, "mean", mean,
        "scale", scale, "labels", labels)));
    Path file = tmp.resolve("served-standardised").resolve("model.onnx");
    CliRun r = CliRun.cli("export", "--model", folder.toString(), "--output", file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("standardisation in the graph, 5 labels mapped");
    float[] raw = new float[N * 20];
    Rng rng = new Rng(10);
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (float) (mean[i % 20] + (1 + i % 20) * rng.nextGaussian());
    }
    float[] x = raw.clone();
    Preprocessing.load(folder).spec().standardize(x, N);
    float[] expected = model.predict(x, N);
    int[] classes = model.predictClasses(x, N);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions());
         OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(raw), new long[] {N, 20});
         OrtSession.Result out = s.run(Map.of("features", t))) {
      assertThat(s.getMetadata().getCustomMetadata()).containsEntry("sparkprop.labels", "[-2.0,0.5,3.0,7.0,11.0]");
      FloatBuffer p = ((OnnxTensor) out.get("probabilities").orElseThrow()).getFloatBuffer();
      double max = 0;
      for (float e : expected) {
        max = Math.max(max, Math.abs(p.get() - e));
      }
      assertThat(max).isLessThanOrEqualTo(1e-5);
      double[] label = (double[]) out.get("label").orElseThrow().getValue();
      for (int i = 0; i < N; i++) {
        assertThat(label[i]).as("row %d", i).isEqualTo(labels[classes[i]]);
      }
    }
  }

  @Test
  void aPreprocessingOfAnotherWidthGivesOneLineAndNoFile() throws Exception {
    Path folder = tmp.resolve("mismatch");
    ModelIO.save(model, folder);
    Files.writeString(folder.resolve("preprocessing.json"), "{\"format\": 1, \"mean\": [1, 2], \"scale\": [1, 1]}");
    Path file = tmp.resolve("mismatch.onnx");
    CliRun r = CliRun.cli("export", "--model", folder.toString(), "--output", file.toString());
    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertOneLine(r.err(), "standardises 2 features but the model takes (20)");
    assertThat(file).doesNotExist();
  }

  @Test
  void aCorruptOrMissingModelGivesOneLineAndNoFile() throws Exception {
    Path corrupt = tmp.resolve("corrupt");
    ModelIO.save(model, corrupt);
    Files.writeString(corrupt.resolve(ModelIO.MODEL_JSON), "{\"format\": \"sparkprop-model\", \"formatVersion\": 1,");
    Path file = tmp.resolve("never.onnx");
    CliRun r = CliRun.cli("export", "--model", corrupt.toString(), "--output", file.toString());
    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertOneLine(r.err(), "model.json");

    Files.write(corrupt.resolve(ModelIO.PARAMS_BIN), new byte[] {1, 2, 3});
    ModelIO.save(model, tmp.resolve("other"));
    Files.copy(tmp.resolve("other").resolve(ModelIO.MODEL_JSON), corrupt.resolve(ModelIO.MODEL_JSON),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    r = CliRun.cli("export", "--model", corrupt.toString(), "--output", file.toString());
    assertThat(r.code()).isNotZero();
    assertOneLine(r.err(), "params.bin");

    r = CliRun.cli("export", "--model", tmp.resolve("nothing-here").toString(), "--output", file.toString());
    assertThat(r.code()).isEqualTo(1);
    assertOneLine(r.err(), "no saved model here");
    assertThat(file).doesNotExist();
  }

  @Test
  void anUnwritablePathGivesOneLineAndNoFile() throws Exception {
    Path plain = Files.writeString(tmp.resolve("a-file"), "x");
    CliRun r = CliRun.cli("export", "--model", saved.toString(), "--output",
        plain.resolve("model.onnx").toString());
    assertThat(r.code()).isEqualTo(1);
    assertOneLine(r.err(), "cannot write " + plain.resolve("model.onnx"));
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp") || n.endsWith(".onnx"));
    }
  }

  @Test
  void anUnknownFormatIsACommandLineError() {
    CliRun r = CliRun.cli("export", "--model", saved.toString(), "--format", "pmml", "--output", "x.pmml");
    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("pmml");
  }

  private static void assertOneLine(String err, String expected) {
    assertThat(err.strip().lines()).as(err).hasSize(1).first().asString().startsWith("error: ").contains(expected);
  }
}
