package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.Serializable;

/**
 * L1/L2 penalty on a layer's kernel, added to the loss as
 * {@code l1·Σ|w| + l2·Σw²} (Keras' definition), so the gradient gains {@code l1·sign(w) + 2·l2·w}.
 */
public record Regularizer(double l1, double l2) implements Serializable {
  /** No penalty. */
  public static final Regularizer NONE = new Regularizer(0, 0);

  public Regularizer {
    if (!(l1 >= 0) || !(l2 >= 0)) {
      throw new IllegalArgumentException("regularizer l1 and l2 must be >= 0, got l1=" + l1 + " l2=" + l2);
    }
  }

  /** True when both penalties are zero (not a JSON property: Jackson would read it as "none"). */
  @JsonIgnore
  public boolean isNone() {
    return l1 == 0 && l2 == 0;
  }

  /** Adds the penalty's gradient for {@code w[from,to)} into {@code g} and returns the penalty. */
  public double applyInPlace(float[] w, float[] g, int from, int to) {
    double penalty = 0;
    float a = (float) l1;
    float b = (float) (2 * l2);
    for (int i = from; i < to; i++) {
      float x = w[i];
      penalty += l1 * Math.abs(x) + l2 * (double) x * x;
      g[i] += a * Math.signum(x) + b * x;
    }
    return penalty;
  }
}
