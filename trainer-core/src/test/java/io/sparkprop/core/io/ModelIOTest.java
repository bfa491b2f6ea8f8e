package io.sparkprop.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.layer.Tanh;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.SGD;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.TrainingConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelIOTest {
  @TempDir
  Path dir;

  static Model mlp(int hidden, long seed) {
    Sequential arch = Sequential.of(Shape.of(4), new Dense(hidden), new Tanh(), new Dropout(0.2), new Dense(3));
    return Model.init(arch, new SoftmaxCrossEntropy(), seed);
  }

  static float[] inputs(int n, int width, long seed) {
    Rng rng = new Rng(seed);
    float[] x = new float[n * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    return x;
  }

  /** Bytes of the header before the data: file size minus the floats and the CRC32. */
  static long headerBytes(Path params, int floats) throws IOException {
    return Files.size(params) - 4L * floats - 4;
  }

  static void writeByteAt(Path file, long pos, int value) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(pos);
      f.write(value);
    }
  }

  @Test
  void roundTripGivesBitIdenticalPredictionsAndKeepsTrainingInfo() throws IOException {
    Model model = mlp(8, 5);
    ObjectNode training = Json.mapper().createObjectNode();
    training.set("config", Json.mapper().valueToTree(TrainingConfig.DEFAULTS.withOptimizer(new SGD(0.1))));
    training.putArray("loss").add(1.25).add(0.5);
    ModelIO.save(model, training, dir.resolve("m"));

    Model back = ModelIO.load(dir.resolve("m"));
    assertThat(back.architecture()).isEqualTo(model.architecture());
    assertThat(back.loss()).isEqualTo(model.loss());
    assertThat(back.params()).containsExactly(model.params());
    float[] x = inputs(50, 4, 9);
    assertThat(back.predict(x, 50)).containsExactly(model.predict(x, 50));
    ModelFile header = ModelIO.readHeader(dir.resolve("m"));
    // compared as text: a long written from Java reads back as an int node
    assertThat(Json.toJson(header.training())).isEqualTo(Json.toJson(training));
    assertThat(Json.mapper().treeToValue(header.training().get("config"), TrainingConfig.class).optimizer())
        .isEqualTo(new SGD(0.1));
    assertThat(header.paramCount()).isEqualTo(67);
  }

  @Test
  void specialFloatValuesSurviveTheParameterFile() throws IOException {
    Sequential arch = Sequential.of(Shape.of(2), new Dense(3));
    float[] p = {Float.NaN, Float.MIN_VALUE, -0f, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, 1e-38f, 3, 4, 5};
    ModelIO.save(new Model(arch, new MeanSquaredError(), p), dir);
    float[] back;
    try (java.io.InputStream in = Files.newInputStream(dir.resolve("params.bin"))) {
      back = ParamsFile.read(in, arch.layout(), "params.bin");
    }
    for (int i = 0; i < p.length; i++) {
      assertThat(Float.floatToRawIntBits(back[i])).as("param " + i).isEqualTo(Float.floatToRawIntBits(p[i]));
    }
  }

  @Test
  void streamsAllowAnyStorage() throws IOException {
    Model model = mlp(6, 11);
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    ByteArrayOutputStream bin = new ByteArrayOutputStream();
    ModelIO.writeHeader(ModelFile.of(model, null), json);
    ParamsFile.write(model.params(), model.architecture().layout(), bin);
    assertThat(json.toString(StandardCharsets.UTF_8)).doesNotContain("training");
    ModelFile header = ModelIO.readHeader(new ByteArrayInputStream(json.toByteArray()), "mem:model.json");
    Model back = ModelIO.readModel(header, new ByteArrayInputStream(bin.toByteArray()), "mem:params.bin");
    assertThat(back.params()).containsExactly(model.params());
    assertThat(header.training()).isNull();
  }

  @Test
  void savingAgainReplacesBothFilesAndLeavesNoTemporaryFiles() throws IOException {
    ModelIO.save(mlp(8, 1), dir);
    Model second = mlp(5, 2);
    ModelIO.save(second, dir);
    assertThat(ModelIO.load(dir).params()).containsExactly(second.params());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.json", "params.bin");
    }
  }

  @Test
  void aFailedAtomicWriteLeavesTheOldFile() throws IOException {
    Path target = dir.resolve("notes.txt");
    AtomicFiles.write(out -> out.write("old".getBytes(StandardCharsets.UTF_8)), target);
    assertThatThrownBy(() -> AtomicFiles.write(out -> {
      out.write("half of the new".getBytes(StandardCharsets.UTF_8));
      throw new IOException("disk full");
    }, target)).hasMessage("disk full");
    assertThat(Files.readString(target)).isEqualTo("old");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  /** A model saved by format version 1; it must load, with the same predictions, in every later version. */
  @Test
  void theVersion1FixtureStillLoadsAndPredicts() throws Exception {
    Path v1 = Path.of(ModelIOTest.class.getResource("/models/v1-mlp/model.json").toURI()).getParent();
    Model model = ModelIO.load(v1);
    assertThat(model.architecture().layers()).hasSize(4);
    assertThat(model.architecture().layers().get(1)).isEqualTo(new ReLU());
    assertThat(model.params()).hasSize(67);
    float[] x = {0f, 0f, 0f, 0f, 1f, -2f, 0.5f, 3f, -1.5f, 0.25f, 2f, -0.75f, 0.1f, 0.2f, 0.3f, 0.4f,
        -3f, 2.5f, -0.5f, 1f};
    // Recorded once when the fixture was written (native BLAS); other BLAS backends may differ in the
    // last bits of the logits, hence the tolerance (far below what any change of meaning would cause).
    float[] expected = {0.34468442f, 0.34551024f, 0.30980533f, 0.26186922f, 0.44296175f, 0.29516903f,
        0.23855388f, 0.20323461f, 0.5582115f, 0.2849474f, 0.4463075f, 0.26874506f, 8.0972345E-4f, 0.27061212f,
        0.72857815f};
    float[] y = model.predict(x, 5);
    assertThat(y).hasSize(15);
    for (int i = 0; i < 15; i++) {
      assertThat(y[i]).as("output " + i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5f));
    }
    assertThat(model.predictClasses(x, 5)).containsExactly(1, 1, 2, 1, 2);
    ModelFile header = ModelIO.readHeader(v1);
    assertThat(Json.treeToValue(header.training().get("config"), TrainingConfig.class, "v1 training").epochs())
        .isEqualTo(3);
    // This build still writes version 1 byte for byte (change this test only with a new format version).
    ModelIO.save(model, header.training(), dir);
    assertThat(Files.readAllBytes(dir.resolve("params.bin"))).isEqualTo(Files.readAllBytes(v1.resolve("params.bin")));
  }

  @Test
  void truncatedParamsNameTheFileAndTheCounts() throws IOException {
    Model model = Model.init(Sequential.of(Shape.of(784), new Dense(128), new ReLU(), new Dense(10)),
        new SoftmaxCrossEntropy(), 3);
    ModelIO.save(model, dir);
    Path bin = dir.resolve("params.bin");
    long header = headerBytes(bin, 101770);
    try (RandomAccessFile f = new RandomAccessFile(bin.toFile(), "rw")) {
      f.setLength(header + 5000 * 4 + 2);
    }
    assertThatThrownBy(() -> ModelIO.load(dir)).isInstanceOf(FileFormatException.class)
        .hasMessage(bin + ": truncated: expected 101770 floats, found 5000 (the file ends at byte "
            + (header + 5000 * 4 + 2) + ")");
    try (RandomAccessFile f = new RandomAccessFile(bin.toFile(), "rw")) {
      f.setLength(20);
    }
    assertThatThrownBy(() -> ModelIO.load(dir))
        .hasMessage(bin + ": truncated: the file ends inside its header (at byte 20)");
  }

  @Test
  void aFlippedDataByteFailsTheCrc() throws IOException {
    Model model = mlp(8, 4);
    ModelIO.save(model, dir);
    Path bin = dir.resolve("params.bin");
    long pos = headerBytes(bin, 67) + 4 * 30 + 1;
    byte[] bytes = Files.readAllBytes(bin);
    writeByteAt(bin, pos, bytes[(int) pos] ^ 0x10);
    assertThatThrownBy(() -> ModelIO.load(dir)).isInstanceOf(FileFormatException.class)
        .hasMessageStartingWith(bin + ": CRC mismatch: the data's CRC32 is ")
        .hasMessageEndingWith("(the file is corrupted)");
  }

  @Test
  void wrongMagicIsNotAParameterFile() throws IOException {
    ModelIO.save(mlp(8, 4), dir);
    Path bin = dir.resolve("params.bin");
    writeByteAt(bin, 0, 'X');
    assertThatThrownBy(() -> ModelIO.load(dir)).isInstanceOf(FileFormatException.class)
        .hasMessage(bin + ": not a sparkprop parameter file: it starts with 5850524b50524d00, expected "
            + "the magic bytes 5350524b50524d00 (\"SPRKPRM\\0\")");
  }

  @Test
  void parametersOfAnotherArchitectureDoNotMatchTheLayout() throws IOException {
    ModelIO.save(mlp(8, 1), dir.resolve("a"));
    ModelIO.save(mlp(16, 1), dir.resolve("b"));
    Path bin = dir.resolve("a/params.bin");
    Files.copy(dir.resolve("b/params.bin"), bin, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> ModelIO.load(dir.resolve("a"))).isInstanceOf(FileFormatException.class)
        .hasMessage(bin + ": its tensors do not match the architecture: tensor 0 is 0/kernel [4, 16] but the "
            + "architecture has 0/kernel [4, 8] (file: 4 tensors, architecture: 4) (at byte 16)");
  }

  @Test
  void filesOfTwoSavesAreNotCombined() throws IOException {
    ModelIO.save(mlp(8, 1), dir.resolve("a"));
    ModelIO.save(mlp(8, 2), dir.resolve("b"));
    Path bin = dir.resolve("a/params.bin");
    Files.copy(dir.resolve("b/params.bin"), bin, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> ModelIO.load(dir.resolve("a"))).isInstanceOf(FileFormatException.class)
        .hasMessageStartingWith(bin + ": is not the parameter file its model.json was saved with")
        .hasMessageEndingWith("the two files come from different saves");
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    assertThatThrownBy(() -> ModelIO.load(dir.resolve("nothing"))).isInstanceOf(NoSuchFileException.class)
        .hasMessage(dir.resolve("nothing") + ": no saved model here (expected a folder holding model.json and "
            + "params.bin)");
    ModelIO.save(mlp(8, 1), dir);
    Files.delete(dir.resolve("params.bin"));
    assertThatThrownBy(() -> ModelIO.load(dir)).isInstanceOf(NoSuchFileException.class)
        .hasMessageStartingWith(dir.resolve("params.bin") + ": missing");
    Files.delete(dir.resolve("model.json"));
    assertThatThrownBy(() -> ModelIO.readHeader(dir)).isInstanceOf(NoSuchFileException.class)
        .hasMessageStartingWith(dir.resolve("model.json") + ": missing");
  }

  @Test
  void unsupportedVersionsAreRejected() throws IOException {
    ModelIO.save(mlp(8, 1), dir);
    Path bin = dir.resolve("params.bin");
    writeByteAt(bin, 11, 2);
    assertThatThrownBy(() -> ModelIO.load(dir))
        .hasMessage(bin + ": format version 2 is not supported (this build reads version 1) (at byte 8)");
    Path json = dir.resolve("model.json");
    Files.writeString(json, Files.readString(json).replace("\"formatVersion\" : 2", "\"formatVersion\" : 3"));
    assertThatThrownBy(() -> ModelIO.readHeader(dir)).isInstanceOf(FileFormatException.class)
        .hasMessage(json + ": format version 3 is not supported (this build reads versions 1 to 2)");
    Files.writeString(json, "{\"format\": \"keras\"}");
    assertThatThrownBy(() -> ModelIO.readHeader(dir))
        .hasMessage(json + ": not a sparkprop model file: \"format\" is \"keras\", expected \"sparkprop-model\"");
  }

  @Test
  void aModelJsonThatContradictsItselfIsRejected() throws IOException {
    ModelIO.save(mlp(8, 1), dir);
    Path json = dir.resolve("model.json");
    String text = Files.readString(json);
    Files.writeString(json, text.replace("\"paramCount\" : 67", "\"paramCount\" : 68"));
    assertThatThrownBy(() -> ModelIO.load(dir))
        .hasMessage(json + ": \"paramCount\" is 68 but the architecture has 67 parameters");
    Files.writeString(json, text.replace("\"units\" : 8", "\"units\" : 8, \"unit\" : 8"));
    assertThatThrownBy(() -> ModelIO.load(dir)).isInstanceOf(FileFormatException.class)
        .hasMessageStartingWith(json + ": at architecture.layers[0].unit: Unrecognized field \"unit\"");
    Files.writeString(json, text.substring(0, text.length() / 2));
    assertThatThrownBy(() -> ModelIO.load(dir)).isInstanceOf(FileFormatException.class)
        .hasMessageStartingWith(json + ": Unexpected end-of-input");
  }

  @Test
  void bytesAfterTheCrcAreRejected() throws IOException {
    ModelIO.save(mlp(8, 1), dir);
    Path bin = dir.resolve("params.bin");
    Files.write(bin, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> ModelIO.load(dir)).hasMessageStartingWith(bin + ": unexpected bytes after the CRC32 at byte "
        + (Files.size(bin) - 1));
  }
}
