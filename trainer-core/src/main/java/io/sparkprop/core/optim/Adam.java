package io.sparkprop.core.optim;

/**
 * Adam (Kingma and Ba) with PyTorch's formulas: {@code m = β1·m + (1−β1)·g},
 * {@code v = β2·v + (1−β2)·g²}, {@code p −= lr·m̂/(√v̂ + ε)} with bias-corrected
 * {@code m̂ = m/(1−β1ᵗ)}, {@code v̂ = v/(1−β2ᵗ)}. {@code weightDecay} is coupled L2
 * ({@code g += wd·p} first), as PyTorch's {@code Adam(weight_decay=...)}; see {@code AdamW} for
 * decoupled decay.
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
    implements Optimizer {

  public Adam {
    Optimizers.checkPositive("adam", "learningRate", learningRate);
    Optimizers.checkRange("adam", "beta1", beta1, 0, 1);
    Optimizers.checkRange("adam", "beta2", beta2, 0, 1);
    Optimizers.checkPositive("adam", "epsilon", epsilon);
    Optimizers.checkRange("adam", "weightDecay", weightDecay, 0, Double.MAX_VALUE);
  }

  /** Adam with the usual defaults (β1 0.9, β2 0.999, ε 1e-8). */
  public Adam(double learningRate) {
    this(learningRate, 0.9, 0.999, 1e-8, 0);
  }

  @Override
  public int slots() {
    return 2;
  }
}
