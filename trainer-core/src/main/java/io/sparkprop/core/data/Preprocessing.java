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
 * integers {@code 0..k−1} (class {@code i} is the {@code i}-th smallest training label), or
 * whose labels are strings ({@code "spam"}, {@code "setosa"}: class {@code i} is the {@code i}-th
 * in lexicographic order, {@link String#compareTo}). The command line fits it with Spark; the
 * ONNX export puts it in the graph and its metadata.
 *
 * <p>The file: {@code {"format": 1, "mean": [...], "scale": [...], "labels": [...]}} or, for
 * string labels, {@code "labelStrings": ["ham", "spam"]} instead of {@code "labels"}; each key
 * present only when used; no file means nothing to do. The string key is new and separate so
 * that files written before it (numbers only) read exactly as they did. Unknown keys are now an
 * error, so that a later key is never silently ignored (builds before string labels ignored
 * unknown keys: they would predict class indices for a string-label model).
 *
 * @param mean         per-feature means, or null (no standardisation)
 * @param scale        per-feature {@code 1 / std} (0 for a constant feature), or null
 * @param labels       the original (number) label of each class, ascending, or null
 * @param labelStrings the original (string) label of each class, ascending, or null; at most one
 *                     of {@code labels} and {@code labelStrings} is given (neither: labels are
 *                     class indices)
 */
public record Preprocessing(double[] mean, double[] scale, double[] labels, String[] labelStrings)
    implements Serializable {
  /** File name inside the model folder. */
  public static final String FILE = "preprocessing.json";
  /** Nothing to do. */
  public static final Preprocessing NONE = new Preprocessing(null, null, null, null);

  public Preprocessing {
    if ((mean == null) != (scale == null) || (mean != null && mean.length != scale.length)) {
      throw new IllegalArgumentException("preprocessing needs as many means as scales, got "
          + (mean == null ? "none" : mean.length) + " and " + (scale == null ? "none" : scale.length));
    }
    if (labels != null && labelStrings != null) {
      throw new IllegalArgumentException("preprocessing has both number labels and string labels");
    }
    if (labelStrings != null) {
      for (int i = 0; i < labelStrings.length; i++) {
        // binary search in index() needs the order; a duplicate would make two classes one label
        if (labelStrings[i] == null || (i > 0 && labelStrings[i - 1].compareTo(labelStrings[i]) >= 0)) {
          throw new IllegalArgumentException("labelStrings must be distinct strings in ascending order, got "
              + Arrays.toString(labelStrings));
        }
      }
    }
  }

  /** Standardisation and number labels (or none), as saved before string labels existed. */
  public Preprocessing(double[] mean, double[] scale, double[] labels) {
    this(mean, scale, labels, null);
  }

  /** True when samples and labels are used as they are. */
  public boolean isNone() {
    return mean == null && labels == null && labelStrings == null;
  }

  /** True when the training labels were strings (then {@link #index(String, String)} and {@link #labelText}). */
  public boolean stringLabels() {
    return labelStrings != null;
  }

  /** True when labels are mapped to class indices (numbers not {@code 0..k-1}, or strings). */
  public boolean mapsLabels() {
    return labels != null || labelStrings != null;
  }

  /** How many labels the mapping has, or -1 when labels are class indices. */
  public int labelCount() {
    return labels != null ? labels.length : labelStrings != null ? labelStrings.length : -1;
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
    if (labelStrings != null) {
      throw new DataException(source + ": label " + label + " is a number but the model's labels are the strings "
          + describeLabels());
    }
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

  /** The class index of an original string label; {@code source} names the data in the error. */
  public double index(String label, String source) {
    if (labelStrings == null) {
      throw new DataException(source + ": label '" + label + "' is a string but the model's labels are numbers"
          + (labels == null ? " (class indices)" : " " + Arrays.toString(labels)));
    }
    int i = Arrays.binarySearch(labelStrings, label);
    if (i < 0) {
      throw new DataException(source + ": " + unknownLabel(label));
    }
    return i;
  }

  /** The message for a string label outside the mapping (readers prefix it with file, line, column). */
  public String unknownLabel(String label) {
    return "label '" + label + "' is not one of the " + labelStrings.length + " labels of the training data "
        + describeLabels();
  }

  private String describeLabels() {
    String[] quoted = new String[Math.min(labelStrings.length, 20)];
    for (int i = 0; i < quoted.length; i++) {
      quoted[i] = "'" + labelStrings[i] + "'";
    }
    return "[" + String.join(", ", quoted) + (labelStrings.length > quoted.length ? ", ..." : "") + "]";
  }

  /** The original (number) label of class {@code c}; string labels have {@link #labelText} instead. */
  public double label(int c) {
    if (labelStrings != null) {
      throw new IllegalStateException("the labels are strings; use labelText(" + c + ")");
    }
    return labels == null ? c : labels[c];
  }

  /**
   * The original label of class {@code c} as text: the string label, or the number label as
   * Java prints a double ({@code "3.0"}, as the CLI's predictions write it).
   */
  public String labelText(int c) {
    return labelStrings != null ? labelStrings[c] : Double.toString(label(c));
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
    if (labelStrings != null) {
      ArrayNode a = o.putArray("labelStrings");
      for (String l : labelStrings) {
        a.add(l);
      }
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
      for (var it = o.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!KEYS.contains(k)) {
          throw new FileFormatException(source, "unknown key '" + k + "'; expected " + KEYS);
        }
      }
      return new Preprocessing(doubles(o.get("mean"), source), doubles(o.get("scale"), source),
          doubles(o.get("labels"), source), strings(o.get("labelStrings"), source));
    } catch (IllegalArgumentException e) {
      throw new FileFormatException(source, e.getMessage());
    }
  }

  private static final java.util.List<String> KEYS = java.util.List.of("format", "mean", "scale", "labels",
      "labelStrings");

  private static String[] strings(JsonNode a, String source) throws FileFormatException {
    if (a == null || a.isNull()) {
      return null;
    }
    if (!a.isArray()) {
      throw new FileFormatException(source, "labelStrings: expected an array of strings, got " + a.getNodeType());
    }
    String[] s = new String[a.size()];
    for (int i = 0; i < s.length; i++) {
      if (!a.get(i).isTextual()) {
        throw new FileFormatException(source, "labelStrings: expected a string, got " + a.get(i));
      }
      s[i] = a.get(i).asText();
    }
    return s;
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
