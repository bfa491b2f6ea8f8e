package io.sparkprop.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line overrides of config keys, applied to the parsed tree before it is bound (so an
 * override is checked exactly like the file). A key path is dot-separated with optional list
 * indices: {@code training.epochs}, {@code model.layers[0].units} (or {@code model.layers.0.units});
 * keys under {@code spark.conf} may contain dots ({@code spark.conf.spark.driver.memory=2g}).
 * The value is read as JSON when it parses ({@code 5}, {@code 1e-3}, {@code true},
 * {@code {"type": "sgd"}}), as a plain string otherwise ({@code local[4]}). Missing objects on
 * the way are created.
 */
public final class Overrides {
  private Overrides() {
  }

  /** One {@code key=value} assignment, with a label of where it came from (e.g. "--epochs 5"). */
  public record Assignment(String key, String value, String origin) {
    /** Parses {@code key=value}. */
    public static Assignment parse(String text) {
      int eq = text.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("--set " + text + ": expected key=value, e.g. --set training.epochs=5");
      }
      return new Assignment(text.substring(0, eq).trim(), text.substring(eq + 1), "--set " + text);
    }
  }

  /** Applies {@code a} to {@code root} in place. */
  public static void applyInPlace(ObjectNode root, Assignment a, ObjectMapper mapper) {
    List<Object> path = parsePath(a);
    JsonNode value = parseValue(a.value(), mapper);
    JsonNode node = root;
    for (int i = 0; i < path.size() - 1; i++) {
      Object step = path.get(i);
      JsonNode next = child(node, step, a);
      if (next == null || next.isNull()) {
        next = mapper.createObjectNode();
        set(node, step, next, a);
      } else if (!next.isContainerNode()) {
        throw new ConfigException(a.origin() + ": " + prefix(path, i + 1) + " is " + next + ", not an object or a list");
      }
      node = next;
    }
    set(node, path.get(path.size() - 1), value, a);
  }

  /** The key path as field names (String) and list indices (Integer). */
  static List<Object> parsePath(Assignment a) {
    List<Object> out = new ArrayList<>();
    String key = a.key();
    if (key.isEmpty()) {
      throw new ConfigException(a.origin() + ": empty key");
    }
    String[] parts = key.split("\\.", -1);
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (out.size() == 2 && "spark".equals(out.get(0)) && "conf".equals(out.get(1))) {
        out.add(String.join(".", java.util.Arrays.copyOfRange(parts, i, parts.length)));
        break;
      }
      int br = p.indexOf('[');
      String name = br < 0 ? p : p.substring(0, br);
      if (name.isEmpty() && br != 0) {
        throw new ConfigException(a.origin() + ": empty name in key path \"" + key + "\"");
      }
      if (!name.isEmpty()) {
        out.add(name.matches("\\d+") ? (Object) Integer.parseInt(name) : name);
      }
      while (br >= 0) {
        int close = p.indexOf(']', br);
        if (close < 0) {
          throw new ConfigException(a.origin() + ": missing ']' in key path \"" + key + "\"");
        }
        String idx = p.substring(br + 1, close);
        if (!idx.matches("\\d+")) {
          throw new ConfigException(a.origin() + ": list index \"" + idx + "\" in \"" + key + "\" is not a number");
        }
        out.add(Integer.parseInt(idx));
        br = p.indexOf('[', close);
      }
    }
    return out;
  }

  private static JsonNode parseValue(String text, ObjectMapper mapper) {
    try {
      JsonNode n = mapper.readTree(text);
      return n == null || n.isMissingNode() ? TextNode.valueOf(text) : n;
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(text);
    }
  }

  private static JsonNode child(JsonNode node, Object step, Assignment a) {
    if (step instanceof Integer i) {
      if (!node.isArray()) {
        throw new ConfigException(a.origin() + ": index [" + i + "] used on an object");
      }
      if (i >= node.size()) {
        throw new ConfigException(a.origin() + ": index [" + i + "] is outside the list of " + node.size());
      }
      return node.get(i);
    }
    if (node.isArray()) {
      throw new ConfigException(a.origin() + ": \"" + step + "\" used on a list (expected an index)");
    }
    return node.get((String) step);
  }

  private static void set(JsonNode node, Object step, JsonNode value, Assignment a) {
    if (node instanceof ArrayNode arr) {
      if (!(step instanceof Integer i)) {
        throw new ConfigException(a.origin() + ": \"" + step + "\" used on a list (expected an index)");
      }
      if (i > arr.size()) {
        throw new ConfigException(a.origin() + ": index [" + i + "] is outside the list of " + arr.size());
      }
      if (i == arr.size()) {
        arr.add(value);
      } else {
        arr.set(i, value);
      }
    } else {
      if (step instanceof Integer) {
        throw new ConfigException(a.origin() + ": index [" + step + "] used on an object");
      }
      ((ObjectNode) node).set((String) step, value);
    }
  }

  private static String prefix(List<Object> path, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      Object s = path.get(i);
      if (s instanceof Integer) {
        b.append('[').append(s).append(']');
      } else {
        b.append(b.length() == 0 ? "" : ".").append(s);
      }
    }
    return b.toString();
  }

  /** The canonical form of a key path ("model.layers[0].units"), for matching errors to overrides. */
  public static String canonical(Assignment a) {
    return prefix(parsePath(a), parsePath(a).size());
  }
}
