package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.Initializer;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.tensor.Shape;
import java.util.List;

/**
 * Batch normalization per channel (PyTorch's {@code BatchNorm1d}/{@code BatchNorm2d}). The channel
 * is the first axis of a sample: a feature of a {@code (F)} dense sample, a channel of a
 * {@code (C, H, W)} image (statistics over the batch and all positions), {@code (C, L)} likewise.
 *
 * <pre>y = γ·(x − μ)/sqrt(σ² + ε) + β</pre>
 *
 * <p>Training mode uses the batch's statistics over its {@code N = batch·positions} values per
 * channel: mean {@code μ} and biased variance {@code σ² = Σ(x − μ)²/N}. Inference uses the running
 * statistics {@code running_mean} and {@code running_var}.
 *
 * <p>Tensors: {@code gamma} (ones) and {@code beta} (zeros) are trainable; {@code running_mean}
 * (zeros) and {@code running_var} (ones) are non-trainable state
 * ({@link TensorSpec#state}) updated as {@code running = (1 − momentum)·running + momentum·batchStat},
 * with the unbiased batch variance {@code Σ(x − μ)²/(N − 1)} for {@code running_var}, as PyTorch.
 * The update follows the trainer's state convention: during a training backward pass this layer
 * adds {@code batch·μ} and {@code batch·σ²_unbiased} into the gradient slots of the two state
 * tensors (for {@code N = 1}, where the unbiased variance is undefined, it adds
 * {@code batch·running_var}, leaving the variance unchanged); the trainer sums the slots over
 * partitions, divides by the step's sample count and applies the running-average formula. So
 * with several partitions the statistic folded in is the <b>sample-weighted mean of the
 * partitions' batch statistics</b> (the mean of the partition variances, which leaves out the
 * spread between partition means), while each partition normalizes with its own batch
 * statistics during training (as PyTorch's data-parallel training without SyncBatchNorm).
 *
 * @param momentum weight of the new batch statistic in the running average, PyTorch's meaning
 *                 (default 0.1; Keras' {@code momentum = 0.99} is {@code 0.01} here)
 * @param epsilon  added to the variance (default 1e-5, PyTorch's)
 */
public record BatchNormalization(double momentum, double epsilon) implements Layer {
  /** PyTorch's default momentum. */
  public static final double DEFAULT_MOMENTUM = 0.1;
  /** PyTorch's default epsilon. */
  public static final double DEFAULT_EPSILON = 1e-5;

  public BatchNormalization {
    if (!(momentum > 0 && momentum <= 1)) {
      throw new IllegalArgumentException("BatchNormalization momentum must be in (0, 1] (the weight of the new "
          + "batch statistic, 0.1 by default; Keras' 0.99 is 0.01 here), got " + momentum);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("BatchNormalization epsilon must be positive, got " + epsilon);
    }
  }

  @JsonCreator
  static BatchNormalization fromJson(@JsonProperty("momentum") Double momentum,
                                     @JsonProperty("epsilon") Double epsilon) {
    return new BatchNormalization(momentum == null ? DEFAULT_MOMENTUM : momentum,
        epsilon == null ? DEFAULT_EPSILON : epsilon);
  }

  /** Batch normalization with PyTorch's defaults (momentum 0.1, epsilon 1e-5). */
  public BatchNormalization() {
    this(DEFAULT_MOMENTUM, DEFAULT_EPSILON);
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public List<TensorSpec> params(Shape input) {
    Shape c = Shape.of(input.dim(0));
    return List.of(
        TensorSpec.trainable("gamma", c, Initializer.ONES, 1, 1),
        TensorSpec.trainable("beta", c, Initializer.ZEROS, 1, 1),
        TensorSpec.state("running_mean", c, Initializer.ZEROS, momentum),
        TensorSpec.state("running_var", c, Initializer.ONES, momentum));
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new BatchNormModel(input.dim(0), input.size() / input.dim(0), (float) epsilon,
        layout.offset(index, "gamma"), layout.offset(index, "beta"),
        layout.offset(index, "running_mean"), layout.offset(index, "running_var"));
  }

  @Override
  public String kind() {
    return "batch_norm";
  }
}
