package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonTypeIdResolver;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.tensor.Shape;
import java.io.Serializable;
import java.util.List;

/**
 * An immutable layer description. Input sizes are never given: they are inferred from the
 * previous layer's output shape. Serialised to JSON with a {@code "type"} property (the saved
 * model's format). Also {@link Serializable}, so that Spark tasks carry layers to the executors
 * as they are; a layer's fields must therefore be serializable too (records of numbers, enums,
 * strings, {@link Shape}s and other layers are).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CUSTOM, property = "type")
@JsonTypeIdResolver(Layers.Resolver.class)
public interface Layer extends Serializable {

  /** The shape of one output sample for one input sample of shape {@code input}. */
  Shape outputShape(Shape input);

  /** The tensors this layer owns, in layout order (none for activations). */
  default List<TensorSpec> params(Shape input) {
    return List.of();
  }

  /** L1/L2 penalties on this layer's kernel (none by default). */
  default Regularizer regularizer() {
    return Regularizer.NONE;
  }

  /** Binds to a model computing this layer; {@code index} is its place in the layout. */
  LayerModel bind(Shape input, ParamLayout layout, int index);

  /** A short display name ("dense", "relu"), used by the summary. */
  String kind();

  /** Number of floats this layer owns. */
  default int paramCount(Shape input) {
    int n = 0;
    for (TensorSpec t : params(input)) {
      n += t.size();
    }
    return n;
  }
}
