package io.sparkprop.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16: model.json's checksum, non-finite parameters, byte offsets in errors, failed saves. */
class ModelIntegrityTest {
  @TempDir
  Path dir;

  private static Model mlp() {
    return Model.init(Sequential.of(Shape.of(4), new Dense(8), new ReLU(), new Dense(3)), new SoftmaxCrossEntropy(), 5);
  }

  @Test
  void anEditedArchitectureIsDetected() throws IOException {
    ModelIO.save(mlp(), dir);
    Path json = dir.resolve("model.json");
    String text = Files.readString(json);
    assertThat(text).contains("\"jsonCrc32\" : \"");
    // Self-consistent (same parameter count), so only the checksum can tell.
    Files.writeString(json, text.replace("\"type\" : \"relu\"", "\"type\" : \"tanh\""));
    assertThatThrownBy(() -> ModelIO.load(dir)).isInstanceOf(FileFormatException.class)
        .hasMessageStartingWith(json + ": checksum mismatch: its content has CRC32 ")
        .hasMessageEndingWith("(the file was edited or damaged after it was saved)");
  }

  @Test
  void layoutAndWhitespaceDoNotMatterButARemovedChecksumDoes() throws IOException {
    Model model = mlp();
    ModelIO.save(model, dir);
    Path json = dir.resolve("model.json");
    String text = Files.readString(json);
    Files.writeString(json, text.replace("\n", "\n  "));
    assertThat(ModelIO.load(dir).params()).containsExactly(model.params());
    Files.writeString(json, text.replaceAll(",\\s*\"jsonCrc32\" : \"[0-9a-f]{8}\"", ""));
    assertThatThrownBy(() -> ModelIO.load(dir)).isInstanceOf(FileFormatException.class)
        .hasMessage(json + ": \"jsonCrc32\" is missing: a version 2 model file records the CRC32 of its content");
  }

  /** Version 1 files have no checksum: they load (ModelIOTest checks the fixture's predictions) and re-save as v2. */
  @Test
  void version1FilesWithoutAChecksumStillLoadAndResaveWithOne() throws Exception {
    Path v1 = Path.of(ModelIntegrityTest.class.getResource("/models/v1-mlp/model.json").toURI()).getParent();
    assertThat(Files.readString(v1.resolve("model.json"))).contains("\"formatVersion\" : 1").doesNotContain("jsonCrc32");
    Model model = ModelIO.load(v1);
    ModelIO.save(model, ModelIO.readHeader(v1).training(), dir);
    assertThat(Files.readString(dir.resolve("model.json"))).contains("\"formatVersion\" : 2").contains("jsonCrc32");
    assertThat(ModelIO.load(dir).params()).containsExactly(model.params());
  }

  @Test
  void nonFiniteParametersAreRefusedNamingTheFileAndWhere() throws IOException {
    Model model = mlp();
    model.params()[45] = Float.NaN;
    model.params()[50] = Float.POSITIVE_INFINITY;
    ModelIO.save(model, dir);
    Path bin = dir.resolve("params.bin");
    long at = ParamsFile.offsetOf(model.architecture().layout(), 45);
    try (RandomAccessFile f = new RandomAccessFile(bin.toFile(), "r")) {
      f.seek(at);
      assertThat(f.readFloat()).as("the float at the reported offset").isNaN();
    }
    // 4·8 kernel + 8 bias = 40 floats of layer 0; parameter 45 is in layer 2's kernel
    assertThatThrownBy(() -> ModelIO.load(dir)).isInstanceOf(FileFormatException.class)
        .hasMessage(bin + ": 2 parameters are not finite: the first, parameter 45 (layer 2 kernel) at byte " + at
            + ", is NaN (was the model saved from a diverged run?)");
  }

  @Test
  void aMalformedHeaderNamesTheFileAndTheByteOffset() throws IOException {
    ModelIO.save(mlp(), dir);
    Path bin = dir.resolve("params.bin");
    try (RandomAccessFile f = new RandomAccessFile(bin.toFile(), "rw")) {
      f.seek(12);
      f.writeInt(-7); // the tensor count
    }
    assertThatThrownBy(() -> ModelIO.load(dir)).isInstanceOf(FileFormatException.class)
        .hasMessage(bin + ": corrupted header: -7 tensors (at byte 12)");
    ModelIO.save(mlp(), dir);
    long rankAt = 16 + 4 + 2 + "kernel".length() + 1;
    try (RandomAccessFile f = new RandomAccessFile(bin.toFile(), "rw")) {
      f.seek(rankAt);
      f.writeInt(99);
    }
    assertThatThrownBy(() -> ModelIO.load(dir))
        .hasMessage(bin + ": corrupted header: tensor 0 has rank 99 (at byte " + rankAt + ")");
  }

  @Test
  void aFailedSaveSaysCannotWriteWhichFileAndWhy() throws IOException {
    Path notAFolder = dir.resolve("taken");
    Files.writeString(notAFolder, "a file where the model folder should go");
    assertThatThrownBy(() -> ModelIO.save(mlp(), notAFolder.resolve("model")))
        .isInstanceOf(CannotWriteException.class)
        .hasMessageStartingWith("cannot write " + notAFolder.resolve("model") + ": ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void reasonsAreShortAndLowerCase() {
    assertThat(CannotWriteException.reason(new java.nio.file.AccessDeniedException("/x/params.bin")))
        .isEqualTo("permission denied");
    assertThat(CannotWriteException.reason(new IOException("No space left on device")))
        .isEqualTo("no space left on device");
    assertThat(CannotWriteException.reason(new Error(new IOException("No space left on device"))))
        .as("Hadoop's FSError wraps the IOException").isEqualTo("no space left on device");
    assertThat(CannotWriteException.reason(new java.nio.file.DirectoryNotEmptyException("/x/model")))
        .isEqualTo("directory not empty");
  }
}
