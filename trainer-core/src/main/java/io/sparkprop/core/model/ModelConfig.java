package io.sparkprop.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.tensor.Shape;
import java.util.List;

/**
 * A network as configuration: the JSON of the CLI config's {@code model} section and of the
 * spark.ml {@code modelConfig} param (one description, read with the core mapper; unknown keys are
 * errors). Example:
 * <pre>{@code
 * {"inputShape": [784],
 *  "layers": [{"type": "dense", "units": 64}, {"type": "relu"}, {"type": "dense", "units": 10}],
 *  "loss": {"type": "softmax_cross_entropy"}, "seed": 42}
 * }</pre>
 *
 * @param inputShape shape of one sample; null = taken from the data
 * @param layers     the layers (core layer JSON), first to last
 * @param loss       the loss; null = left to the caller (the spark.ml estimators have defaults,
 *                   the CLI requires one)
 * @param seed       seed of the initial weights; null = the caller's default
 */
public record ModelConfig(@JsonInclude(JsonInclude.Include.NON_NULL) Shape inputShape, List<Layer> layers,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Loss loss,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Long seed) {

  public ModelConfig {
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("layers: expected a non-empty list of layers, "
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
   * Reads a model config from JSON text.
   *
   * @throws IllegalArgumentException naming the JSON path of the problem
   */
  public static ModelConfig parse(String json) {
    return Json.fromJson(json, ModelConfig.class);
  }

  /** This config as compact JSON. */
  public String toJson() {
    return Json.toJson(this);
  }

  /** The seed, or {@code otherwise} when none is set. */
  public long seedOr(long otherwise) {
    return seed != null ? seed : otherwise;
  }

  /**
   * The architecture on samples of {@code dataShape} unless this config names its own input shape.
   *
   * @throws IllegalArgumentException when neither gives an input shape
   */
  public Sequential architecture(Shape dataShape) {
    Shape in = inputShape != null ? inputShape : dataShape;
    if (in == null) {
      throw new IllegalArgumentException("inputShape: missing and no data to take it from");
    }
    return new Sequential(in, layers);
  }
}
