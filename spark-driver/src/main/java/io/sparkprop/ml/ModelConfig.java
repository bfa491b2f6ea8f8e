package io.sparkprop.ml;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import java.util.List;

/**
 * The {@code modelConfig} param: the same keys as the CLI config's {@code model} section, read
 * with the core JSON mapper (unknown keys are errors). Example:
 * <pre>{@code
 * {"layers": [{"type": "dense", "units": 64}, {"type": "relu"}, {"type": "dropout", "rate": 0.2},
 *             {"type": "dense", "units": 3}],
 *  "loss": {"type": "softmax_cross_entropy"}}
 * }</pre>
 *
 * @param inputShape shape of one sample; null = the size of the features vectors
 * @param layers     the layers (core layer JSON), first to last
 * @param loss       the loss; null = the estimator's default (softmax cross-entropy for the
 *                   classifier, the {@code loss} param for the regressor)
 * @param seed       seed of the initial weights; null = the {@code seed} param
 */
public record ModelConfig(@JsonInclude(JsonInclude.Include.NON_NULL) Shape inputShape, List<Layer> layers,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Loss loss,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Long seed) {

  public ModelConfig {
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("modelConfig: \"layers\" must be a non-empty list of layers, "
          + "e.g. [{\"type\": \"dense\", \"units\": 10}]");
    }
    layers = List.copyOf(layers);
  }

  @JsonCreator
  static ModelConfig fromJson(@JsonProperty("inputShape") Shape inputShape, @JsonProperty("layers") List<Layer> layers,
                              @JsonProperty("loss") Loss loss, @JsonProperty("seed") Long seed) {
    return new ModelConfig(inputShape, layers, loss, seed);
  }

  /**
   * Reads a {@code modelConfig} JSON string.
   *
   * @throws IllegalArgumentException naming the JSON path of the problem
   */
  public static ModelConfig parse(String json) {
    try {
      return Json.fromJson(json, ModelConfig.class);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("modelConfig: " + e.getMessage(), e);
    }
  }

  /** This config as JSON (the value of the {@code modelConfig} param). */
  public String toJson() {
    return Json.toJson(this);
  }

  /** The architecture on samples of {@code features} values unless this config names an input shape. */
  public Sequential architecture(int features) {
    return new Sequential(inputShape != null ? inputShape : Shape.of(features), layers);
  }
}
