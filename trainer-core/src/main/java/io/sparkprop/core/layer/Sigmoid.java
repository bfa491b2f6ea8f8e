package io.sparkprop.core.layer;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/** Logistic sigmoid {@code y = 1/(1 + e⁻ˣ)}. */
public record Sigmoid() implements Layer {

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new Activations.Sigm(input.size());
  }

  @Override
  public String kind() {
    return "sigmoid";
  }
}
