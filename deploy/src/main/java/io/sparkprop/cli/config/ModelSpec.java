package io.sparkprop.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import java.util.List;

/**
 * The model section: the layers (the same JSON as the core {@link Layer} records, e.g.
 * {@code {"type": "dense", "units": 128}}), the loss, the input shape of one sample (taken from
 * the data when left out) and the initialisation seed.
 *
 * @param inputShape shape of one sample, e.g. {@code [784]} or {@code [1, 28, 28]}; null = from the data
 * @param layers     first to last
 * @param loss       e.g. {@code {"type": "softmax_cross_entropy"}}
 * @param seed       seed of the initial weights (default 42)
 */
public record ModelSpec(Shape inputShape, List<Layer> layers, Loss loss, long seed) {

  public ModelSpec {
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("layers: expected a non-empty list of layers, e.g. [{\"type\": \"dense\", \"units\": 10}]");
    }
    if (loss == null) {
      throw new IllegalArgumentException("loss: missing; expected e.g. {\"type\": \"softmax_cross_entropy\"}");
    }
    layers = List.copyOf(layers);
  }

  @JsonCreator
  static ModelSpec fromJson(@JsonProperty("inputShape") Shape inputShape, @JsonProperty("layers") List<Layer> layers,
                            @JsonProperty("loss") Loss loss, @JsonProperty("seed") Long seed) {
    return new ModelSpec(inputShape, layers, loss, seed == null ? 42L : seed);
  }

  /** The architecture on samples of {@code dataShape} unless this spec names its own input shape. */
  public Sequential architecture(Shape dataShape) {
    Shape in = inputShape != null ? inputShape : dataShape;
    if (in == null) {
      throw new IllegalArgumentException("model.inputShape: missing and no data to take it from");
    }
    return new Sequential(in, layers);
  }
}
