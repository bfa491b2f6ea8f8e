package io.sparkprop.core.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Stochastic gradient descent with optional momentum, PyTorch's form: with
 * {@code g ← g + wd·p} (coupled L2 weight decay) first, {@code buf = μ·buf + g} (buf starts at 0,
 * so the first step has {@code buf = g}), then {@code p −= lr·buf}, or with Nesterov
 * {@code p −= lr·(g + μ·buf)}; without momentum {@code p −= lr·g}. No dampening.
 *
 * @param learningRate base rate, default 0.01
 * @param momentum     μ in [0, 1), default 0
 * @param nesterov     Nesterov's look-ahead step (needs μ &gt; 0), default false
 * @param weightDecay  coupled L2 factor wd ≥ 0, default 0
 */
public record SGD(double learningRate, double momentum, boolean nesterov, double weightDecay)
    implements Optimizer {

  static final double DEFAULT_LEARNING_RATE = 0.01;

  public SGD {
    Optimizers.checkPositive("sgd", "learningRate", learningRate);
    Optimizers.checkFraction("sgd", "momentum", momentum);
    Optimizers.checkNonNegative("sgd", "weightDecay", weightDecay);
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException("sgd: nesterov needs a momentum in (0, 1), got momentum 0");
    }
  }

  /** Plain SGD. */
  public SGD(double learningRate) {
    this(learningRate, 0, false, 0);
  }

  @JsonCreator
  static SGD fromJson(@JsonProperty("learningRate") Double learningRate, @JsonProperty("momentum") Double momentum,
                      @JsonProperty("nesterov") Boolean nesterov, @JsonProperty("weightDecay") Double weightDecay) {
    return new SGD(learningRate == null ? DEFAULT_LEARNING_RATE : learningRate,
        momentum == null ? 0 : momentum, nesterov != null && nesterov, weightDecay == null ? 0 : weightDecay);
  }

  @Override
  public int slots() {
    return momentum == 0 ? 0 : 1;
  }

  /**
   * {@code g' = g + wd·p}; without momentum {@code p −= lr·g'}; with it {@code buf = μ·buf + g'}
   * and {@code p −= lr·buf}, or {@code p −= lr·(g' + μ·buf)} with Nesterov (slot 0 is buf).
   */
  @Override
  public void update(OptimizerState s, float[] p, float[] g, long t, double lr, int from, int to) {
    float mu = (float) momentum;
    float wd = (float) weightDecay;
    float rate = (float) lr;
    if (s.slotCount() == 0) {
      for (int i = from; i < to; i++) {
        p[i] -= rate * (g[i] + wd * p[i]);
      }
      return;
    }
    float[] buf = s.slot(0);
    if (nesterov) {
      for (int i = from; i < to; i++) {
        float gi = g[i] + wd * p[i];
        float b = mu * buf[i] + gi;
        buf[i] = b;
        p[i] -= rate * (gi + mu * b);
      }
    } else {
      for (int i = from; i < to; i++) {
        float b = mu * buf[i] + g[i] + wd * p[i];
        buf[i] = b;
        p[i] -= rate * b;
      }
    }
  }
}
