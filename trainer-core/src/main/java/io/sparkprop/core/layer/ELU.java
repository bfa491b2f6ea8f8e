package io.sparkprop.core.layer;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/** Exponential linear unit: {@code y = x} for x > 0, {@code alpha·(eˣ − 1)} otherwise. */
public record ELU(double alpha) implements Layer {

  /** ELU with alpha 1 (Keras and PyTorch default). */
  public ELU() {
    this(1.0);
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new Activations.Elu(input.size(), (float) alpha);
  }

  @Override
  public String kind() {
    return "elu";
  }
}
