package io.sparkprop.core.layer;

import io.sparkprop.core.io.TypeRegistry;

/**
 * The JSON names of the layer kinds (the {@code "type"} key). The built-in kinds are registered
 * here; a user adds one through {@link #registry}, before reading or writing JSON that uses it.
 */
public final class Layers {
  private static final TypeRegistry<Layer> REGISTRY = new TypeRegistry<>(Layer.class)
      .register("dense", Dense.class)
      .register("relu", ReLU.class)
      .register("leaky_relu", LeakyReLU.class)
      .register("elu", ELU.class)
      .register("gelu", GELU.class)
      .register("sigmoid", Sigmoid.class)
      .register("tanh", Tanh.class)
      .register("softmax", Softmax.class)
      .register("dropout", Dropout.class)
      .register("flatten", Flatten.class)
      .register("conv2d", Conv2D.class)
      .register("max_pool2d", MaxPool2D.class)
      .register("avg_pool2d", AvgPool2D.class)
      .register("global_avg_pool2d", GlobalAveragePooling2D.class)
      .register("batch_norm", BatchNormalization.class)
      .register("zero_padding2d", ZeroPadding2D.class)
      .register("embedding", Embedding.class)
      .register("simple_rnn", SimpleRNN.class)
      .register("lstm", LSTM.class)
      .register("gru", GRU.class)
      .register("bidirectional", Bidirectional.class)
      .register("layer_norm", LayerNormalization.class)
      .register("multi_head_attention", MultiHeadAttention.class)
      .register("transformer_encoder", TransformerEncoder.class)
      .register("positional_embedding", PositionalEmbedding.class)
      .register("global_avg_pool1d", GlobalAveragePooling1D.class)
      .register("global_max_pool1d", GlobalMaxPooling1D.class)
      .register("time_distributed", TimeDistributed.class);

  private Layers() {
  }

  /** The registry: {@code registry().register("my_kind", MyKind.class)} adds a kind. */
  public static TypeRegistry<Layer> registry() {
    return REGISTRY;
  }

  /** Jackson's view of the registry (named by {@link Layer}'s annotations). */
  public static final class Resolver extends TypeRegistry.Resolver {
    public Resolver() {
      super(REGISTRY);
    }
  }
}
