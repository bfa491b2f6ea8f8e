package io.sparkprop.core.optim;

/**
 * The optimizer updates as static functions over flat arrays, applied to index ranges
 * ({@code ranges = [from0, to0, from1, to1, ...]}, the trainable part of the layout). One
 * function per optimizer, shared by the local trainer, the Spark driver and the tests. The
 * formulas are PyTorch's (see each optimizer's record); the arithmetic is in float with the
 * per-step coefficients computed in double. Nothing is allocated per step.
 */
public final class Optimizers {
  private Optimizers() {
  }

  /**
   * One update of {@code p} in place from gradient {@code g} (already averaged and clipped) with
   * learning rate {@code lr}, over {@code ranges} only; advances the state's step count once.
   * {@code g} is only read.
   *
   * @throws IllegalArgumentException when the state does not belong to this optimizer and size
   */
  public static void step(Optimizer o, OptimizerState s, float[] p, float[] g, double lr, int[] ranges) {
    checkState(o, s, p.length);
    long t = s.advance();
    for (int r = 0; r < ranges.length; r += 2) {
      int from = ranges[r];
      int to = ranges[r + 1];
      if (o instanceof Adam a) {
        adam(a, p, g, s.slot(0), s.slot(1), t, lr, from, to);
      } else if (o instanceof SGD sgd) {
        sgd(sgd, p, g, s.slotCount() > 0 ? s.slot(0) : null, lr, from, to);
      } else if (o instanceof AdamW a) {
        adamW(a, p, g, s.slot(0), s.slot(1), t, lr, from, to);
      } else if (o instanceof RMSProp rms) {
        rmsProp(rms, p, g, s.slot(0), s.slotCount() > 1 ? s.slot(1) : null, lr, from, to);
      } else if (o instanceof Adagrad a) {
        adagrad(a, p, g, s.slot(0), lr, from, to);
      } else {
        throw new IllegalArgumentException("unknown optimizer " + o);
      }
    }
  }

  /**
   * Adam on {@code [from, to)}: {@code g' = g + wd·p}, {@code m = β1·m + (1−β1)·g'},
   * {@code v = β2·v + (1−β2)·g'²}, {@code p −= (lr/(1−β1ᵗ))·m/(√v/√(1−β2ᵗ) + ε)}; t is 1-based.
   */
  public static void adam(Adam a, float[] p, float[] g, float[] m, float[] v, long t, double lr, int from,
                          int to) {
    adamInPlace(p, g, m, v, t, lr, a.beta1(), a.beta2(), a.epsilon(), a.weightDecay(), 1f, from, to);
  }

  /** AdamW on {@code [from, to)}: {@code p ← p·(1 − lr·wd)}, then Adam without coupled decay. */
  public static void adamW(AdamW a, float[] p, float[] g, float[] m, float[] v, long t, double lr, int from,
                           int to) {
    float keep = (float) (1 - lr * a.weightDecay());
    adamInPlace(p, g, m, v, t, lr, a.beta1(), a.beta2(), a.epsilon(), 0, keep, from, to);
  }

  private static void adamInPlace(float[] p, float[] g, float[] m, float[] v, long t, double lr, double beta1,
                                  double beta2, double epsilon, double coupledDecay, float keep, int from, int to) {
    float b1 = (float) beta1;
    float c1 = (float) (1 - beta1);
    float b2 = (float) beta2;
    float c2 = (float) (1 - beta2);
    float wd = (float) coupledDecay;
    float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
    float sqrtCorrection2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
    float eps = (float) epsilon;
    for (int i = from; i < to; i++) {
      float pi = p[i] * keep;
      float gi = g[i] + wd * pi;
      float mi = b1 * m[i] + c1 * gi;
      float vi = b2 * v[i] + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = pi - stepSize * mi / ((float) Math.sqrt(vi) / sqrtCorrection2 + eps);
    }
  }

  /**
   * SGD on {@code [from, to)}: {@code g' = g + wd·p}; without momentum ({@code buf == null})
   * {@code p −= lr·g'}; with it {@code buf = μ·buf + g'} and {@code p −= lr·buf}, or
   * {@code p −= lr·(g' + μ·buf)} with Nesterov.
   */
  public static void sgd(SGD o, float[] p, float[] g, float[] buf, double lr, int from, int to) {
    float mu = (float) o.momentum();
    float wd = (float) o.weightDecay();
    float rate = (float) lr;
    if (buf == null) {
      for (int i = from; i < to; i++) {
        p[i] -= rate * (g[i] + wd * p[i]);
      }
    } else if (o.nesterov()) {
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

  /**
   * RMSprop on {@code [from, to)}: {@code g' = g + wd·p}, {@code s = ρ·s + (1−ρ)·g'²}; without
   * momentum ({@code buf == null}) {@code p −= lr·g'/(√s + ε)}, with it
   * {@code buf = μ·buf + g'/(√s + ε)} and {@code p −= lr·buf}.
   */
  public static void rmsProp(RMSProp o, float[] p, float[] g, float[] s, float[] buf, double lr, int from,
                             int to) {
    float rho = (float) o.rho();
    float c = (float) (1 - o.rho());
    float mu = (float) o.momentum();
    float wd = (float) o.weightDecay();
    float eps = (float) o.epsilon();
    float rate = (float) lr;
    for (int i = from; i < to; i++) {
      float gi = g[i] + wd * p[i];
      float si = rho * s[i] + c * gi * gi;
      s[i] = si;
      float d = gi / ((float) Math.sqrt(si) + eps);
      if (buf != null) {
        d += mu * buf[i];
        buf[i] = d;
      }
      p[i] -= rate * d;
    }
  }

  /** Adagrad on {@code [from, to)}: {@code g' = g + wd·p}, {@code s += g'²}, {@code p −= lr·g'/(√s + ε)}. */
  public static void adagrad(Adagrad o, float[] p, float[] g, float[] s, double lr, int from, int to) {
    float wd = (float) o.weightDecay();
    float eps = (float) o.epsilon();
    float rate = (float) lr;
    for (int i = from; i < to; i++) {
      float gi = g[i] + wd * p[i];
      float si = s[i] + gi * gi;
      s[i] = si;
      p[i] -= rate * gi / ((float) Math.sqrt(si) + eps);
    }
  }

  private static void checkState(Optimizer o, OptimizerState s, int size) {
    if (s.slotCount() != o.slots()) {
      throw new IllegalArgumentException("optimizer state has " + s.slotCount() + " slots but " + o
          + " needs " + o.slots() + " (state saved with other optimizer settings?)");
    }
    for (int k = 0; k < s.slotCount(); k++) {
      if (s.slot(k).length != size) {
        throw new IllegalArgumentException("optimizer state slot " + k + " has " + s.slot(k).length
            + " values but the parameter vector has " + size);
      }
    }
  }

  /** Requires {@code 0 < v < ∞}. */
  static void checkPositive(String optimizer, String field, double v) {
    if (!(v > 0 && v < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(optimizer + ": " + field + " must be a finite number > 0, got " + v);
    }
  }

  /** Requires {@code 0 ≤ v < ∞}. */
  static void checkNonNegative(String optimizer, String field, double v) {
    if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(optimizer + ": " + field + " must be a finite number >= 0, got " + v);
    }
  }

  /** Requires {@code 0 ≤ v < 1}. */
  static void checkFraction(String optimizer, String field, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException(optimizer + ": " + field + " must be in [0, 1), got " + v);
    }
  }
}
