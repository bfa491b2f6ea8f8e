package io.sparkprop.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.core.io.AtomicFiles;
import io.sparkprop.core.io.FileFormatException;
import io.sparkprop.core.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What is done to a sample before the network sees it, saved as {@value #FILE} next to a model:
 * standardisation {@code x' = (x − mean)·scale} per feature ({@code scale = 1/std}, 0 for a
 * constant feature) and the label of each class for classifiers whose labels were not the
 * integers {@code 0..k−1} (class {@code i} is the {@code i}-th smallest training label). The
 * command line fits it with Spark; the ONNX export puts it in the graph and its metadata.
 *
 * <p>The file: {@code {"format": 1, "mean": [...], "scale": [...], "labels": [...]}}, each key
 * present only when used; no file means nothing to do.
 *
 * @param mean   per-feature means, or null (no standardisation)
 * @param scale  per-feature {@code 1 / std} (0 for a constant feature), or null
 * @param labels the original label of each class, ascending, or null (labels are class indices)
 */
public record Preprocessing(double[] mean, double[] scale, double[] labels) implements Serializable {
  /** File name inside the model folder. */
  public static final String FILE = "preprocessing.json";
  /** Nothing to do. */
  public static final Preprocessing NONE = new Preprocessing(null, null, null);

  public Preprocessing {
    if ((mean == null) != (scale == null) || (mean != null && mean.length != scale.length)) {
      throw new IllegalArgumentException("preprocessing needs as many means as scales, got "
          + (mean == null ? "none" : mean.length) + " and " + (scale == null ? "none" : scale.length));
    }
  }

  /** True when samples and labels are used as they are. */
  public boolean isNone() {
    return mean == null && labels == null;
  }

  /** {@code x[n, mean.length]} standardised in place (unchanged without standardisation). */
  public void standardize(float[] x, int n) {
    if (mean == null) {
      return;
    }
    int f = mean.length;
    if (x.length < (long) n * f) {
      throw new DataException(n + " samples of " + f + " features need " + (long) n * f + " values, got "
          + x.length);
    }
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < f; i++) {
        x[r * f + i] = (float) ((x[r * f + i] - mean[i]) * scale[i]);
      }
    }
  }

  /** The class index of an original label; {@code source} names the data in the error. */
  public double index(double label, String source) {
    if (labels == null) {
      return label;
    }
    int i = Arrays.binarySearch(labels, label);
    if (i < 0) {
      throw new DataException(source + ": label " + label + " is not one of the " + labels.length
          + " labels of the training data " + Arrays.toString(labels));
    }
    return i;
  }

  /** The original label of class {@code c}. */
  public double label(int c) {
    return labels == null ? c : labels[c];
  }

  /** The JSON document of {@value #FILE}. */
  public ObjectNode toJson() {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("format", 1);
    if (mean != null) {
      o.set("mean", array(mean));
      o.set("scale", array(scale));
    }
    if (labels != null) {
      o.set("labels", array(labels));
    }
    return o;
  }

  /** Writes {@value #FILE} into {@code modelDir} atomically (nothing when there is nothing to do). */
  public void save(Path modelDir) throws IOException {
    if (isNone()) {
      return;
    }
    ObjectNode o = toJson();
    AtomicFiles.write(out -> Json.writePretty(o, out), modelDir.resolve(FILE));
  }

  /** The preprocessing saved in {@code modelDir}, or {@link #NONE} for a model saved without one. */
  public static Preprocessing load(Path modelDir) throws IOException {
    Path f = modelDir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      return NONE;
    }
    try (InputStream in = Files.newInputStream(f)) {
      return fromJson(Json.readTree(in, f.toString()), f.toString());
    }
  }

  /** Reads the document of {@value #FILE}; {@code source} names it in errors. */
  public static Preprocessing fromJson(JsonNode o, String source) throws FileFormatException {
    if (o == null || !o.isObject()) {
      throw new FileFormatException(source, "expected a JSON object");
    }
    try {
      return new Preprocessing(doubles(o.get("mean"), source), doubles(o.get("scale"), source),
          doubles(o.get("labels"), source));
    } catch (IllegalArgumentException e) {
      throw new FileFormatException(source, e.getMessage());
    }
  }

  private static ArrayNode array(double[] v) {
    ArrayNode a = Json.mapper().createArrayNode();
    for (double d : v) {
      a.add(d);
    }
    return a;
  }

  private static double[] doubles(JsonNode a, String source) throws FileFormatException {
    if (a == null || a.isNull()) {
      return null;
    }
    if (!a.isArray()) {
      throw new FileFormatException(source, "expected an array of numbers, got " + a.getNodeType());
    }
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) {
      if (!a.get(i).isNumber()) {
        throw new FileFormatException(source, "expected a number, got " + a.get(i));
      }
      d[i] = a.get(i).asDouble();
    }
    return d;
  }
}
