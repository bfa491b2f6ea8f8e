package io.sparkprop.core.optim;

/**
 * Stochastic gradient descent with optional momentum (PyTorch's form: {@code buf = μ·buf + g},
 * {@code p −= lr·buf}, or {@code p −= lr·(g + μ·buf)} with Nesterov) and coupled L2 weight
 * decay ({@code g += wd·p} first).
 */
public record SGD(double learningRate, double momentum, boolean nesterov, double weightDecay)
    implements Optimizer {

  public SGD {
    Optimizers.checkPositive("sgd", "learningRate", learningRate);
    Optimizers.checkRange("sgd", "momentum", momentum, 0, 1);
    Optimizers.checkRange("sgd", "weightDecay", weightDecay, 0, Double.MAX_VALUE);
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException("sgd: nesterov needs a momentum > 0");
    }
  }

  /** Plain SGD. */
  public SGD(double learningRate) {
    this(learningRate, 0, false, 0);
  }

  @Override
  public int slots() {
    return momentum == 0 ? 0 : 1;
  }
}
