package io.sparkprop.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * One PyTorch reference case of {@code golden/<name>.json} (see that folder's README for
 * the layouts). A tensor is stored as {@code {"shape": [...], "data": [...]}} in row-major order.
 *
 * <p>The cases are the project's own test resources ({@code trainer-core/src/test/resources/golden},
 * copied from the PyTorch run that made them); {@code -Dsparkprop.golden=DIR} points at another
 * folder of the same layout.
 */
public final class Golden {
  /** System property naming the golden folder explicitly. */
  public static final String PROPERTY = "sparkprop.golden";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String name;
  private final JsonNode root;

  private Golden(String name, JsonNode root) {
    this.name = name;
    this.root = root;
  }

  /**
   * A stored tensor.
   *
   * @param shape its dimensions
   * @param data  its values in row-major order, {@code data.length} = product of {@code shape}
   */
  public record Tensor(int[] shape, double[] data) {
    /** Number of values. */
    public int size() {
      return data.length;
    }

    /** Dimension {@code i}. */
    public int dim(int i) {
      return shape[i];
    }

    /** The values rounded to float, as the trainer computes. */
    public float[] floats() {
      float[] f = new float[data.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) data[i];
      }
      return f;
    }

    @Override
    public String toString() {
      return "Tensor" + Arrays.toString(shape);
    }
  }

  /** The golden folder (see the class comment); fails with a clear message when there is none. */
  public static Path dir() {
    String prop = System.getProperty(PROPERTY);
    if (prop != null && !prop.isBlank()) {
      Path p = Paths.get(prop).toAbsolutePath();
      if (!Files.isDirectory(p)) {
        throw new IllegalStateException("-D" + PROPERTY + "=" + prop + " is not a folder");
      }
      return p;
    }
    URL url = Golden.class.getResource("/golden/README.md");
    if (url == null || !"file".equals(url.getProtocol())) {
      throw new IllegalStateException("the test resources have no golden/ folder (expected "
          + "trainer-core/src/test/resources/golden on the test class path); set -D" + PROPERTY + "=DIR");
    }
    try {
      return Paths.get(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot read the golden folder at " + url, e);
    }
  }

  /** Reads {@code <dir>/<name>.json}. */
  public static Golden load(String name) {
    Path file = dir().resolve(name + ".json");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("golden case " + file + " does not exist");
    }
    try {
      return new Golden(name, MAPPER.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read golden case " + file, e);
    }
  }

  /** Names (without ".json") of the cases whose name starts with {@code prefix}, sorted. */
  public static List<String> names(String prefix) {
    try (Stream<Path> files = Files.list(dir())) {
      List<String> out = new ArrayList<>();
      for (Path p : (Iterable<Path>) files::iterator) {
        String f = p.getFileName().toString();
        if (f.startsWith(prefix) && f.endsWith(".json")) {
          out.add(f.substring(0, f.length() - ".json".length()));
        }
      }
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir(), e);
    }
  }

  /** The case's name. */
  public String name() {
    return name;
  }

  /** The whole JSON document. */
  public JsonNode root() {
    return root;
  }

  /** True when the top-level field exists. */
  public boolean has(String field) {
    return root.has(field);
  }

  /** The top-level field, which must exist. */
  public JsonNode node(String field) {
    JsonNode n = root.get(field);
    if (n == null) {
      throw new IllegalStateException("golden case " + name + " has no field '" + field + "'");
    }
    return n;
  }

  /** The top-level tensor field. */
  public Tensor tensor(String field) {
    return tensor(node(field), name + "." + field);
  }

  /** The top-level number field. */
  public double number(String field) {
    JsonNode n = node(field);
    if (!n.isNumber()) {
      throw new IllegalStateException("golden " + name + "." + field + " is not a number: " + n);
    }
    return n.asDouble();
  }

  /** The top-level text field. */
  public String text(String field) {
    JsonNode n = node(field);
    if (!n.isTextual()) {
      throw new IllegalStateException("golden " + name + "." + field + " is not a string: " + n);
    }
    return n.asText();
  }

  /** A top-level array of numbers (e.g. integer class labels). */
  public double[] numbers(String field) {
    JsonNode n = node(field);
    if (!n.isArray()) {
      throw new IllegalStateException("golden " + name + "." + field + " is not an array: " + n);
    }
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asDouble();
    }
    return out;
  }

  /** Reads a {@code {"shape", "data"}} node; {@code where} names it in error messages. */
  public static Tensor tensor(JsonNode node, String where) {
    JsonNode shape = node == null ? null : node.get("shape");
    JsonNode data = node == null ? null : node.get("data");
    if (shape == null || data == null || !shape.isArray() || !data.isArray()) {
      throw new IllegalStateException("golden " + where + " is not a {\"shape\", \"data\"} tensor");
    }
    int[] dims = new int[shape.size()];
    long count = 1;
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.get(i).asInt();
      count *= dims[i];
    }
    if (count != data.size()) {
      throw new IllegalStateException("golden " + where + " has shape " + Arrays.toString(dims) + " but "
          + data.size() + " values");
    }
    double[] values = new double[data.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = data.get(i).asDouble();
    }
    return new Tensor(dims, values);
  }
}
