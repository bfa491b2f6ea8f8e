package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.Initializer;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-head self-attention over a sequence {@code (T, E)} (PyTorch's {@code MultiheadAttention}
 * with query = key = value, Keras' {@code MultiHeadAttention(num_heads, key_dim = E/heads)}):
 *
 * <pre>
 * Q = X·Wq + bq,  K = X·Wk + bk,  V = X·Wv + bv          (kernels [E, E], Keras' layout)
 * head h: A_h = softmax(Q_h·K_hᵀ / sqrt(E/heads)),  C_h = A_h·V_h
 * Y = [C_1 … C_heads]·Wo + bo
 * </pre>
 *
 * With sequence lengths ({@link Pass#lengths()}) padded keys get no attention weight (PyTorch's
 * {@code key_padding_mask}) and padded query rows output zero. The output shape is the input's.
 *
 * @param heads number of heads; must divide E
 */
public record MultiHeadAttention(int heads) implements Layer {
  /** Tensor names in layout order (kernels [E, E], biases [E]). */
  static final String[] TENSORS = {"query_kernel", "query_bias", "key_kernel", "key_bias", "value_kernel",
      "value_bias", "output_kernel", "output_bias"};

  public MultiHeadAttention {
    if (heads <= 0) {
      throw new IllegalArgumentException("MultiHeadAttention heads must be positive, got " + heads);
    }
  }

  @JsonCreator
  static MultiHeadAttention fromJson(@JsonProperty("heads") int heads) {
    return new MultiHeadAttention(heads);
  }

  @Override
  public Shape outputShape(Shape input) {
    SequenceMask.requireSequence(input, "MultiHeadAttention");
    if (input.dim(1) % heads != 0) {
      throw new IllegalArgumentException("MultiHeadAttention: " + heads + " heads do not divide the width "
          + input.dim(1));
    }
    return input;
  }

  @Override
  public List<TensorSpec> params(Shape input) {
    return specs(input.dim(1), "");
  }

  /** The eight projection tensors for width {@code e}, names prefixed by {@code prefix}. */
  static List<TensorSpec> specs(int e, String prefix) {
    List<TensorSpec> out = new ArrayList<>();
    for (int i = 0; i < TENSORS.length; i += 2) {
      out.add(TensorSpec.trainable(prefix + TENSORS[i], Shape.of(e, e), Initializer.GLOROT_UNIFORM, e, e));
      out.add(TensorSpec.trainable(prefix + TENSORS[i + 1], Shape.of(e), Initializer.ZEROS, e, e));
    }
    return out;
  }

  /** The offsets of the eight tensors of layer {@code index}, names prefixed by {@code prefix}. */
  static int[] offsets(ParamLayout layout, int index, String prefix) {
    int[] o = new int[TENSORS.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = layout.offset(index, prefix + TENSORS[i]);
    }
    return o;
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    outputShape(input);
    return new AttentionModel(input.dim(0), input.dim(1), heads, offsets(layout, index, ""));
  }

  @Override
  public String kind() {
    return "multi_head_attention";
  }
}
