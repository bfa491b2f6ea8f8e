package io.sparkprop.core.layer;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/**
 * Maximum over the real steps of a sequence {@code (T, F) → (F)} per feature (Keras'
 * {@code GlobalMaxPooling1D} with a mask); the gradient goes to the first step holding the maximum.
 * A sample of length 0 outputs zero.
 */
public record GlobalMaxPooling1D() implements Layer {

  @Override
  public Shape outputShape(Shape input) {
    SequenceMask.requireSequence(input, "GlobalMaxPooling1D");
    return Shape.of(input.dim(1));
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    outputShape(input);
    return new SequencePooling(input.dim(0), input.dim(1), true);
  }

  @Override
  public String kind() {
    return "global_max_pool1d";
  }
}
