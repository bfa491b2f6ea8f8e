package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.Initializer;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.tensor.Shape;
import java.util.List;

/**
 * Layer normalization over the last axis (Keras' {@code LayerNormalization(axis=-1)}, PyTorch's
 * {@code LayerNorm(F)}): each row of {@code F} values is normalized by its own mean and biased
 * variance, {@code y = γ·(x − μ)/sqrt(σ² + ε) + β}. The same in training and inference. On a
 * sequence {@code (T, F)} padded steps output zero and pass no gradient.
 *
 * @param epsilon added to the variance (default 1e-5, PyTorch's)
 */
public record LayerNormalization(double epsilon) implements Layer {
  /** PyTorch's default epsilon. */
  public static final double DEFAULT_EPSILON = 1e-5;

  public LayerNormalization {
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("LayerNormalization epsilon must be positive, got " + epsilon);
    }
  }

  @JsonCreator
  static LayerNormalization fromJson(@JsonProperty("epsilon") Double epsilon) {
    return new LayerNormalization(epsilon == null ? DEFAULT_EPSILON : epsilon);
  }

  /** Layer normalization with epsilon 1e-5. */
  public LayerNormalization() {
    this(DEFAULT_EPSILON);
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public List<TensorSpec> params(Shape input) {
    Shape f = Shape.of(input.dim(input.rank() - 1));
    return List.of(TensorSpec.trainable("gamma", f, Initializer.ONES, 1, 1),
        TensorSpec.trainable("beta", f, Initializer.ZEROS, 1, 1));
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    int f = input.dim(input.rank() - 1);
    boolean sequence = input.rank() == 2;
    return new LayerNormModel(sequence ? input.dim(0) : input.size() / f, f, sequence, (float) epsilon,
        layout.offset(index, "gamma"), layout.offset(index, "beta"));
  }

  @Override
  public String kind() {
    return "layer_norm";
  }
}
