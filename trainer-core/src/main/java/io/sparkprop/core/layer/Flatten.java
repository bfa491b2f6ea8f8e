package io.sparkprop.core.layer;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/** Flattens a {@code (C, H, W)} sample into {@code (C·H·W)} in channel-major order (PyTorch's). */
public record Flatten() implements Layer {

  @Override
  public Shape outputShape(Shape input) {
    return Shape.of(input.size());
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new Activations.Identity(input.size());
  }

  @Override
  public String kind() {
    return "flatten";
  }
}
