package io.sparkprop.core.layer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Reads a PyTorch reference case {@code shared/golden/<name>.json}, found by walking up from the
 * working directory (a tensor is {@code {"shape", "data"}}, row-major). A small reader for the
 * CNN tests; the core-tests branch has a general one.
 */
final class GoldenCase {
  private final String name;
  private final JsonNode root;

  private GoldenCase(String name, JsonNode root) {
    this.name = name;
    this.root = root;
  }

  static GoldenCase load(String name) {
    Path start = Paths.get("").toAbsolutePath();
    for (Path d = start; d != null; d = d.getParent()) {
      Path f = d.resolve("shared").resolve("golden").resolve(name + ".json");
      if (Files.isRegularFile(f)) {
        try {
          return new GoldenCase(name, new ObjectMapper().readTree(f.toFile()));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + f, e);
        }
      }
    }
    throw new IllegalStateException("no shared/golden/" + name + ".json in " + start + " or above");
  }

  JsonNode node(String field) {
    JsonNode n = root.get(field);
    if (n == null) {
      throw new IllegalStateException("golden " + name + " has no field " + field);
    }
    return n;
  }

  /** A tensor field's data as floats. */
  float[] floats(String field) {
    return floats(node(field));
  }

  /** A tensor node's data as floats. */
  static float[] floats(JsonNode tensor) {
    JsonNode data = tensor.get("data");
    float[] out = new float[data.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) data.get(i).asDouble();
    }
    return out;
  }

  /** A tensor node's data. */
  static double[] doubles(JsonNode tensor) {
    JsonNode data = tensor.get("data");
    double[] out = new double[data.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = data.get(i).asDouble();
    }
    return out;
  }

  /** A tensor node's shape. */
  static int[] shape(JsonNode tensor) {
    JsonNode s = tensor.get("shape");
    int[] out = new int[s.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.get(i).asInt();
    }
    return out;
  }

  /**
   * Asserts {@code |actual·scale − expected| ≤ 1e-6 + rel·|expected|} element-wise.
   */
  static void assertClose(String what, float[] actual, int from, double scale, double[] expected, double rel) {
    for (int i = 0; i < expected.length; i++) {
      double a = actual[from + i] * scale;
      if (!(Math.abs(a - expected[i]) <= 1e-6 + rel * Math.abs(expected[i]))) {
        throw new AssertionError(what + "[" + i + "] = " + a + ", expected " + expected[i] + " (of "
            + expected.length + " values)");
      }
    }
  }
}
