package io.sparkprop.core.layer;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/** Rectified linear unit: {@code y = max(0, x)}. */
public record ReLU() implements Layer {

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new Activations.Leaky(input.size(), 0f);
  }

  @Override
  public String kind() {
    return "relu";
  }
}
