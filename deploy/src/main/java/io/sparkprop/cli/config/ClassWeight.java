package io.sparkprop.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code training.classWeight}: a weight per class for the training loss, as Keras'
 * {@code class_weight} and scikit-learn's {@code class_weight}: either {@code "balanced"}
 * (class {@code c} weighs {@code n / (k · n_c)}, {@code k} the number of classes present in the
 * training data) or an object from label (as written in the data, e.g. {@code "-1"}, {@code "7"})
 * to weight (finite, >= 0); labels left out weigh 1. Kept out of core's {@code TrainingConfig}:
 * the labels it names are the data's, which only the command line sees.
 *
 * @param balanced whether the weights are computed from the class frequencies
 * @param weights  label → weight when not balanced (else empty)
 */
public record ClassWeight(boolean balanced, Map<Double, Double> weights) {
  /** The key inside the {@code training} section. */
  public static final String KEY = "classWeight";

  public ClassWeight {
    weights = Map.copyOf(weights);
  }

  /**
   * Reads the node of {@code training.classWeight}.
   *
   * @throws IllegalArgumentException naming the key path and what was expected
   */
  static ClassWeight parse(JsonNode n) {
    String path = "training." + KEY;
    if (n.isTextual() && n.asText().equals("balanced")) {
      return new ClassWeight(true, Map.of());
    }
    if (!n.isObject()) {
      throw new IllegalArgumentException(path + ": expected \"balanced\" or an object of label: weight (e.g. "
          + "{\"0\": 1, \"1\": 5}), got " + n);
    }
    Map<Double, Double> w = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      double label;
      try {
        label = Double.parseDouble(e.getKey());
      } catch (NumberFormatException x) {
        throw new IllegalArgumentException(path + "." + e.getKey() + ": expected a label (a number) as the key");
      }
      JsonNode v = e.getValue();
      if (!v.isNumber() || !(v.asDouble() >= 0) || Double.isInfinite(v.asDouble())) {
        throw new IllegalArgumentException(path + "." + e.getKey() + ": expected a weight (a finite number >= 0), got "
            + v);
      }
      w.put(label, v.asDouble());
    }
    return new ClassWeight(false, w);
  }

  /** As written in a config. */
  JsonNode toJson() {
    if (balanced) {
      return JsonNodeFactory.instance.textNode("balanced");
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    weights.forEach((k, v) -> o.put(BigDecimal.valueOf(k).stripTrailingZeros().toPlainString(), v));
    return o;
  }
}
