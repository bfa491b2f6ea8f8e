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
 * One Transformer encoder block on a sequence {@code (T, E)}, as PyTorch's
 * {@code TransformerEncoderLayer(batch_first=True)}. Post-norm (PyTorch's default):
 *
 * <pre>
 * h = LN1(x + drop(MHA(x)))
 * y = LN2(h + drop(W2·drop(act(W1·h + b1)) + b2))
 * </pre>
 *
 * and pre-norm ({@code normFirst}): {@code h = x + drop(MHA(LN1(x)))},
 * {@code y = h + drop(FF(LN2(h)))}. {@code MHA} is {@link MultiHeadAttention} with the padding
 * mask, {@code LN} {@link LayerNormalization}, the feed-forward is applied per step. Dropout acts
 * on the attention output, the feed-forward hidden layer and its output (not on the attention
 * weights). Padded steps output zero and pass no gradient.
 *
 * @param heads       attention heads; must divide E
 * @param feedForward width of the feed-forward hidden layer (PyTorch's {@code dim_feedforward})
 * @param dropout     dropout rate (default 0.1, PyTorch's)
 * @param activation  {@code "relu"} (default) or {@code "gelu"} (exact)
 * @param normFirst   pre-norm instead of post-norm (default false)
 * @param epsilon     of both layer norms (default 1e-5)
 */
public record TransformerEncoder(int heads, int feedForward, double dropout, String activation,
                                 boolean normFirst, double epsilon) implements Layer {

  public TransformerEncoder {
    if (heads <= 0 || feedForward <= 0) {
      throw new IllegalArgumentException("TransformerEncoder needs positive heads and feedForward, got "
          + heads + " and " + feedForward);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("TransformerEncoder dropout must be in [0, 1), got " + dropout);
    }
    activation = activation == null ? "relu" : activation;
    if (!activation.equals("relu") && !activation.equals("gelu")) {
      throw new IllegalArgumentException("TransformerEncoder activation must be \"relu\" or \"gelu\", got \""
          + activation + "\"");
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("TransformerEncoder epsilon must be positive, got " + epsilon);
    }
  }

  @JsonCreator
  static TransformerEncoder fromJson(@JsonProperty("heads") int heads, @JsonProperty("feedForward") int ff,
                                     @JsonProperty("dropout") Double dropout,
                                     @JsonProperty("activation") String activation,
                                     @JsonProperty("normFirst") Boolean normFirst,
                                     @JsonProperty("epsilon") Double epsilon) {
    return new TransformerEncoder(heads, ff, dropout == null ? 0.1 : dropout, activation,
        normFirst != null && normFirst, epsilon == null ? LayerNormalization.DEFAULT_EPSILON : epsilon);
  }

  /** A post-norm ReLU block with dropout 0.1 (PyTorch's defaults). */
  public TransformerEncoder(int heads, int feedForward) {
    this(heads, feedForward, 0.1, "relu", false, LayerNormalization.DEFAULT_EPSILON);
  }

  @Override
  public Shape outputShape(Shape input) {
    new MultiHeadAttention(heads).outputShape(input);
    return input;
  }

  @Override
  public List<TensorSpec> params(Shape input) {
    int e = input.dim(1);
    int f = feedForward;
    List<TensorSpec> out = new ArrayList<>(MultiHeadAttention.specs(e, ""));
    out.add(TensorSpec.trainable("ff1_kernel", Shape.of(e, f), Initializer.GLOROT_UNIFORM, e, f));
    out.add(TensorSpec.trainable("ff1_bias", Shape.of(f), Initializer.ZEROS, e, f));
    out.add(TensorSpec.trainable("ff2_kernel", Shape.of(f, e), Initializer.GLOROT_UNIFORM, f, e));
    out.add(TensorSpec.trainable("ff2_bias", Shape.of(e), Initializer.ZEROS, f, e));
    for (String n : new String[] {"norm1", "norm2"}) {
      out.add(TensorSpec.trainable(n + "_gamma", Shape.of(e), Initializer.ONES, 1, 1));
      out.add(TensorSpec.trainable(n + "_beta", Shape.of(e), Initializer.ZEROS, 1, 1));
    }
    return out;
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    outputShape(input);
    int t = input.dim(0);
    int e = input.dim(1);
    float eps = (float) epsilon;
    return new TransformerEncoderModel(t, e, feedForward, normFirst, (float) dropout,
        new AttentionModel(t, e, heads, MultiHeadAttention.offsets(layout, index, "")),
        new DenseModel(e, feedForward, layout.offset(index, "ff1_kernel"), layout.offset(index, "ff1_bias")),
        new DenseModel(feedForward, e, layout.offset(index, "ff2_kernel"), layout.offset(index, "ff2_bias")),
        activation.equals("gelu") ? new Activations.Gelu(feedForward) : new Activations.Leaky(feedForward, 0f),
        new LayerNormModel(t, e, true, eps, layout.offset(index, "norm1_gamma"), layout.offset(index, "norm1_beta")),
        new LayerNormModel(t, e, true, eps, layout.offset(index, "norm2_gamma"),
            layout.offset(index, "norm2_beta")));
  }

  @Override
  public String kind() {
    return "transformer_encoder";
  }
}
