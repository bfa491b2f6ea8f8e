package io.sparkprop.core.layer;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/** Gaussian error linear unit, exact form {@code y = x·Φ(x)} (erf, not the tanh approximation). */
public record GELU() implements Layer {

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new Activations.Gelu(input.size());
  }

  @Override
  public String kind() {
    return "gelu";
  }
}
