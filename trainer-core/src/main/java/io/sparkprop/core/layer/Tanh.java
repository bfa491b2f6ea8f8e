package io.sparkprop.core.layer;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/** Hyperbolic tangent. */
public record Tanh() implements Layer {

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new Activations.Tan(input.size());
  }

  @Override
  public String kind() {
    return "tanh";
  }
}
