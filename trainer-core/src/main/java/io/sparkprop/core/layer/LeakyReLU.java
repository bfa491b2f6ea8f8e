package io.sparkprop.core.layer;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/** Leaky ReLU: {@code y = x} for x > 0, {@code alpha·x} otherwise (Keras' default alpha 0.3; PyTorch's 0.01). */
public record LeakyReLU(double alpha) implements Layer {

  public LeakyReLU {
    if (!(alpha >= 0)) {
      throw new IllegalArgumentException("LeakyReLU alpha must be >= 0, got " + alpha);
    }
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new Activations.Leaky(input.size(), (float) alpha);
  }

  @Override
  public String kind() {
    return "leaky_relu";
  }
}
