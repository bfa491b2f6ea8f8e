package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.tensor.Shape;
import java.util.List;

/**
 * An immutable layer description. Input sizes are never given: they are inferred from the
 * previous layer's output shape. Serialised to JSON with a {@code "type"} property.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Dense.class, name = "dense"),
    @JsonSubTypes.Type(value = ReLU.class, name = "relu"),
    @JsonSubTypes.Type(value = LeakyReLU.class, name = "leaky_relu"),
    @JsonSubTypes.Type(value = ELU.class, name = "elu"),
    @JsonSubTypes.Type(value = GELU.class, name = "gelu"),
    @JsonSubTypes.Type(value = Sigmoid.class, name = "sigmoid"),
    @JsonSubTypes.Type(value = Tanh.class, name = "tanh"),
    @JsonSubTypes.Type(value = Softmax.class, name = "softmax"),
    @JsonSubTypes.Type(value = Dropout.class, name = "dropout"),
    @JsonSubTypes.Type(value = Flatten.class, name = "flatten"),
    @JsonSubTypes.Type(value = Conv2D.class, name = "conv2d"),
    @JsonSubTypes.Type(value = MaxPool2D.class, name = "max_pool2d"),
    @JsonSubTypes.Type(value = AvgPool2D.class, name = "avg_pool2d"),
    @JsonSubTypes.Type(value = GlobalAveragePooling2D.class, name = "global_avg_pool2d"),
    @JsonSubTypes.Type(value = BatchNormalization.class, name = "batch_norm"),
    @JsonSubTypes.Type(value = Embedding.class, name = "embedding"),
    @JsonSubTypes.Type(value = SimpleRNN.class, name = "simple_rnn"),
    @JsonSubTypes.Type(value = LSTM.class, name = "lstm"),
    @JsonSubTypes.Type(value = GRU.class, name = "gru"),
    @JsonSubTypes.Type(value = Bidirectional.class, name = "bidirectional"),
    // attention and sequence pooling (issue 11)
    @JsonSubTypes.Type(value = LayerNormalization.class, name = "layer_norm"),
    @JsonSubTypes.Type(value = MultiHeadAttention.class, name = "multi_head_attention"),
    @JsonSubTypes.Type(value = TransformerEncoder.class, name = "transformer_encoder"),
    @JsonSubTypes.Type(value = PositionalEmbedding.class, name = "positional_embedding"),
    @JsonSubTypes.Type(value = GlobalAveragePooling1D.class, name = "global_avg_pool1d"),
    @JsonSubTypes.Type(value = GlobalMaxPooling1D.class, name = "global_max_pool1d"),
    @JsonSubTypes.Type(value = TimeDistributed.class, name = "time_distributed"),
})
public interface Layer {

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
