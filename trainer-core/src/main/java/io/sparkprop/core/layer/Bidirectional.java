package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a recurrent layer forwards and a copy of it (own weights) backwards over each sample's
 * real steps, and concatenates the two outputs on the feature axis (Keras' {@code concat}):
 * {@code (T, 2H)} with {@code returnSequences}, else {@code (2H)} = [forward state at the last
 * real step, backward state at the first step], as PyTorch's {@code h_n}. The tensors are the
 * layer's, prefixed {@code forward_} and {@code backward_}.
 *
 * @param layer the recurrent layer ({@link SimpleRNN}, {@link LSTM} or {@link GRU})
 */
public record Bidirectional(Layer layer) implements Layer {

  public Bidirectional {
    if (!(layer instanceof RecurrentLayer)) {
      throw new IllegalArgumentException("Bidirectional wraps a SimpleRNN, LSTM or GRU, got "
          + (layer == null ? "nothing" : layer.kind()));
    }
  }

  @JsonCreator
  static Bidirectional fromJson(@JsonProperty("layer") Layer layer) {
    return new Bidirectional(layer);
  }

  private RecurrentLayer inner() {
    return (RecurrentLayer) layer;
  }

  @Override
  public Shape outputShape(Shape input) {
    Shape one = layer.outputShape(input);
    return one.rank() == 2 ? Shape.of(one.dim(0), 2 * one.dim(1)) : Shape.of(2 * one.dim(0));
  }

  @Override
  public List<TensorSpec> params(Shape input) {
    List<TensorSpec> all = new ArrayList<>(inner().tensors("forward_", input));
    all.addAll(inner().tensors("backward_", input));
    return all;
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new BidirectionalModel(inner().model("forward_", input, layout, index, false),
        inner().model("backward_", input, layout, index, true), input.size(), layer.outputShape(input));
  }

  @Override
  public String kind() {
    return "bidirectional";
  }
}
