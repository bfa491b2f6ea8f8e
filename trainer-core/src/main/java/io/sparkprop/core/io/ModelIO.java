package io.sparkprop.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.core.data.Preprocessing;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.onnx.OnnxExport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Saves and loads models, Keras style: {@code ModelIO.save(model, path)},
 * {@code ModelIO.load(path)}. A saved model is a folder with two files:
 * <ul>
 *   <li>{@value #MODEL_JSON}: a {@link ModelFile} (format name and version, architecture, loss,
 *       parameter count, the parameters' CRC32 and an optional free-form {@code "training"} node),
 *       pretty-printed JSON, ending with {@code "jsonCrc32"}: the CRC32 of the rest of the
 *       document, so an edited or damaged architecture is detected (format version 2; version 1
 *       files have no such field and still load);</li>
 *   <li>{@value #PARAMS_BIN}: the flat parameter vector, see {@link ParamsFile} (big-endian
 *       float32 with a tensor layout and a CRC32).</li>
 * </ul>
 * Each file is written atomically ({@link AtomicFiles}), {@code params.bin} first; a
 * {@code model.json} only accepts the {@code params.bin} whose CRC32 it records, so files from
 * two different saves are never combined. Loading refuses parameters that are NaN or infinite.
 * A failed save throws a {@link CannotWriteException} ({@code cannot write <path>: <reason>}). The stream methods ({@link #writeHeader},
 * {@link #readHeader(InputStream, String)}, {@link ParamsFile#write}, {@link #readModel}) let
 * callers store the two files anywhere (a Hadoop file system, a jar resource); they do not close
 * the streams. No Java serialization is involved.
 */
public final class ModelIO {
  /** The architecture file's name in a model folder. */
  public static final String MODEL_JSON = "model.json";
  /** The parameter file's name in a model folder. */
  public static final String PARAMS_BIN = "params.bin";

  private ModelIO() {
  }

  /** Saves {@code model} into {@code folder} (created if needed; existing files are replaced). */
  public static void save(Model model, Path folder) throws IOException {
    save(model, null, folder);
  }

  /**
   * Saves {@code model} with free-form {@code training} information (e.g. the training config
   * and history as JSON; may be null) into {@code folder}.
   */
  public static void save(Model model, JsonNode training, Path folder) throws IOException {
    ModelFile header = ModelFile.of(model, training);
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new CannotWriteException(folder.toString(), e);
    }
    write(out -> ParamsFile.write(model.params(), model.architecture().layout(), out), folder.resolve(PARAMS_BIN));
    write(out -> writeHeader(header, out), folder.resolve(MODEL_JSON));
  }

  private static void write(AtomicFiles.StreamWriter body, Path file) throws IOException {
    try {
      AtomicFiles.write(body, file);
    } catch (IOException e) {
      throw new CannotWriteException(file.toString(), e);
    }
  }

  /** Exports {@code model} as an ONNX file (see {@link OnnxExport}), written atomically. */
  public static void exportOnnx(Model model, Path file) throws IOException {
    exportOnnx(model, Preprocessing.NONE, null, file);
  }

  /**
   * Exports {@code model} trained on samples preprocessed by {@code preprocessing} (e.g.
   * {@code Preprocessing.load(modelFolder)}; null: none): the graph takes raw features and
   * standardises them itself, and a label mapping becomes a {@code label} output and metadata.
   */
  public static void exportOnnx(Model model, Preprocessing preprocessing, Path file) throws IOException {
    exportOnnx(model, preprocessing, null, file);
  }

  /**
   * Exports {@code model} as an ONNX file with {@code training} (e.g. the training config; may be
   * null) in its metadata. The graph is built in memory first, so a model that cannot be
   * exported fails before anything is written, and the file is replaced atomically.
   *
   * @throws IllegalArgumentException naming the layer that has no ONNX form
   */
  public static void exportOnnx(Model model, JsonNode training, Path file) throws IOException {
    exportOnnx(model, Preprocessing.NONE, training, file);
  }

  /** {@link #exportOnnx(Model, Preprocessing, Path)} with {@code training} in the metadata (may be null). */
  public static void exportOnnx(Model model, Preprocessing preprocessing, JsonNode training, Path file)
      throws IOException {
    byte[] bytes = OnnxExport.toBytes(model, preprocessing, training);
    write(out -> out.write(bytes), file);
  }

  /** Loads the model saved in {@code folder}. */
  public static Model load(Path folder) throws IOException {
    ModelFile header = readHeader(folder);
    Path bin = existing(folder, PARAMS_BIN);
    try (InputStream in = Files.newInputStream(bin)) {
      return readModel(header, in, bin.toString());
    }
  }

  /**
   * The preprocessing saved beside a model ({@code preprocessing.json}: standardisation and label
   * mapping, written by the command line), or {@link Preprocessing#NONE} when the folder has none.
   * {@link io.sparkprop.core.model.Predictor#load} applies both.
   */
  public static Preprocessing loadPreprocessing(Path folder) throws IOException {
    return Preprocessing.load(folder);
  }

  /** Reads only {@code model.json} of the model in {@code folder}: architecture, loss and training info. */
  public static ModelFile readHeader(Path folder) throws IOException {
    Path json = existing(folder, MODEL_JSON);
    try (InputStream in = Files.newInputStream(json)) {
      return readHeader(in, json.toString());
    }
  }

  /**
   * Writes {@code header} as pretty JSON to {@code out} (not closed), in the current format
   * version, with its {@value ModelFile#JSON_CRC} field: the CRC32 of the rest of the document (see
   * {@link #contentCrc32}).
   */
  public static void writeHeader(ModelFile header, OutputStream out) throws IOException {
    ModelFile current = new ModelFile(ModelFile.FORMAT, ModelFile.VERSION, header.architecture(), header.loss(),
        header.paramCount(), header.paramsCrc32(), header.training());
    // Through text and back first, so the CRC is of exactly the tree a reader will parse.
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    Json.writePretty(current, text);
    ObjectNode tree = (ObjectNode) Json.readTree(new ByteArrayInputStream(text.toByteArray()), "model.json");
    tree.put(ModelFile.JSON_CRC, String.format("%08x", contentCrc32(tree)));
    Json.writePretty(tree, out);
  }

  /**
   * CRC32 of a {@code model.json} tree without its {@value ModelFile#JSON_CRC} field, as compact
   * JSON: layout and whitespace do not matter, any change of a key or value does.
   */
  static long contentCrc32(ObjectNode tree) throws IOException {
    ObjectNode copy = tree.deepCopy();
    copy.remove(ModelFile.JSON_CRC);
    CRC32 crc = new CRC32();
    crc.update(Json.mapper().writeValueAsBytes(copy));
    return crc.getValue();
  }

  /**
   * Reads a {@code model.json} from {@code in} (not closed), checking its format name and
   * version first and then that its parameter count fits its architecture; {@code source} names
   * the file in errors.
   */
  public static ModelFile readHeader(InputStream in, String source) throws IOException {
    byte[] bytes = in.readAllBytes();
    JsonNode tree = Json.readTree(new ByteArrayInputStream(bytes), source);
    if (!tree.isObject()) {
      throw new FileFormatException(source, "expected a JSON object, found " + tree.getNodeType());
    }
    JsonNode format = tree.get("format");
    if (format == null || !ModelFile.FORMAT.equals(format.asText())) {
      throw new FileFormatException(source, "not a sparkprop model file: \"format\" is "
          + (format == null ? "missing" : format.toString()) + ", expected \"" + ModelFile.FORMAT + "\"");
    }
    JsonNode version = tree.get("formatVersion");
    if (version == null || !version.isInt()) {
      throw new FileFormatException(source, "\"formatVersion\" must be an integer, found "
          + (version == null ? "nothing" : version.toString()));
    }
    if (version.intValue() < 1 || version.intValue() > ModelFile.VERSION) {
      throw new FileFormatException(source, "format version " + version.intValue()
          + " is not supported (this build reads versions 1 to " + ModelFile.VERSION + ")");
    }
    ObjectNode object = (ObjectNode) tree;
    JsonNode stored = object.remove(ModelFile.JSON_CRC);
    if (version.intValue() >= 2 && (stored == null || !stored.isTextual())) {
      throw new FileFormatException(source, "\"" + ModelFile.JSON_CRC + "\" is missing: a version "
          + version.intValue() + " model file records the CRC32 of its content");
    }
    ModelFile header = Json.treeToValue(object, ModelFile.class, source);
    Sequential arch = header.architecture();
    if (arch == null || header.loss() == null) {
      throw new FileFormatException(source, "\"architecture\" and \"loss\" are required");
    }
    int expected = arch.paramCount();
    if (header.paramCount() != expected) {
      throw new FileFormatException(source, "\"paramCount\" is " + header.paramCount()
          + " but the architecture has " + expected + " parameters");
    }
    if (stored != null) {
      long crc = contentCrc32(object);
      if (!String.format("%08x", crc).equals(stored.asText())) {
        throw new FileFormatException(source, String.format("checksum mismatch: its content has CRC32 %08x but it "
            + "records %s (the file was edited or damaged after it was saved)", crc, stored.asText()));
      }
    }
    return header;
  }

  /**
   * The model described by {@code header} with the parameters read from {@code params} (a
   * {@code params.bin}, read to its end, not closed); {@code source} names that file in errors.
   */
  public static Model readModel(ModelFile header, InputStream params, String source) throws IOException {
    float[] p = ParamsFile.read(params, header.architecture().layout(), source);
    long crc = ParamsFile.crc32(p);
    if (crc != header.paramsCrc32()) {
      throw new FileFormatException(source, String.format("is not the parameter file its %s was saved with "
          + "(data CRC32 %08x, %s expects %08x): the two files come from different saves",
          MODEL_JSON, crc, MODEL_JSON, header.paramsCrc32()));
    }
    checkFinite(p, header.architecture().layout(), source);
    return new Model(header.architecture(), header.loss(), p);
  }

  /** A NaN or infinite parameter makes every prediction meaningless: refuse it, naming where it is. */
  private static void checkFinite(float[] p, ParamLayout layout, String source) throws FileFormatException {
    for (int i = 0; i < p.length; i++) {
      if (!Float.isFinite(p[i])) {
        int bad = 0;
        for (int j = i; j < p.length; j++) {
          bad += Float.isFinite(p[j]) ? 0 : 1;
        }
        String tensor = "";
        for (ParamLayout.Entry e : layout.entries()) {
          if (i >= e.offset() && i < e.end()) {
            tensor = " (layer " + e.layer() + " " + e.spec().name() + ")";
          }
        }
        throw new FileFormatException(source, bad + " parameter" + (bad == 1 ? " is" : "s are")
            + " not finite: the first, parameter " + i + tensor + " at byte " + ParamsFile.offsetOf(layout, i)
            + ", is " + p[i] + " (was the model saved from a diverged run?)");
      }
    }
  }

  private static Path existing(Path folder, String name) throws NoSuchFileException {
    if (!Files.isDirectory(folder)) {
      throw new NoSuchFileException(folder.toString(), null,
          "no saved model here (expected a folder holding " + MODEL_JSON + " and " + PARAMS_BIN + ")");
    }
    Path file = folder.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null,
          "missing (a saved model folder holds " + MODEL_JSON + " and " + PARAMS_BIN + ")");
    }
    return file;
  }
}
