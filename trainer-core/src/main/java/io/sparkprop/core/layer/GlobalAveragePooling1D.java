package io.sparkprop.core.layer;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/**
 * Mean over the real steps of a sequence {@code (T, F) → (F)} (Keras'
 * {@code GlobalAveragePooling1D} with a mask): {@code y = Σ_{t<L} x[t] / L}, L the sample's
 * length (T without lengths); padded steps get no gradient.
 */
public record GlobalAveragePooling1D() implements Layer {

  @Override
  public Shape outputShape(Shape input) {
    SequenceMask.requireSequence(input, "GlobalAveragePooling1D");
    return Shape.of(input.dim(1));
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    outputShape(input);
    return new SequencePooling(input.dim(0), input.dim(1), false);
  }

  @Override
  public String kind() {
    return "global_avg_pool1d";
  }
}
