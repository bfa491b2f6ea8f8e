package io.sparkprop.core.optim;

/**
 * The optimizer updates as static functions over flat arrays, applied to index ranges
 * ({@code ranges = [from0, to0, from1, to1, ...]}, the trainable part of the layout). One
 * function per optimizer, shared by the local trainer, the Spark driver and the tests.
 */
public final class Optimizers {
  private Optimizers() {
  }

  /**
   * One update of {@code p} from gradient {@code g} (already averaged and clipped) with
   * learning rate {@code lr}. {@code g} may be modified (weight decay is added into it).
   */
  public static void step(Optimizer o, OptimizerState s, float[] p, float[] g, double lr, int[] ranges) {
    long t = s.advance();
    for (int r = 0; r < ranges.length; r += 2) {
      int from = ranges[r];
      int to = ranges[r + 1];
      if (o instanceof Adam a) {
        adam(a, p, g, s.slot(0), s.slot(1), t, lr, from, to);
      } else if (o instanceof SGD sgd) {
        sgd(sgd, p, g, s.slotCount() > 0 ? s.slot(0) : null, t, lr, from, to);
      } else {
        throw new IllegalArgumentException("unknown optimizer " + o);
      }
    }
  }

  /** Adam, PyTorch's formula: p −= lr·m̂/(√v̂ + ε); coupled decay g += wd·p first. */
  public static void adam(Adam a, float[] p, float[] g, float[] m, float[] v, long t, double lr, int from, int to) {
    float b1 = (float) a.beta1();
    float b2 = (float) a.beta2();
    float wd = (float) a.weightDecay();
    double c1 = 1 - Math.pow(a.beta1(), t);
    double c2 = 1 - Math.pow(a.beta2(), t);
    float stepSize = (float) (lr / c1);
    float sqrtC2 = (float) Math.sqrt(c2);
    float eps = (float) a.epsilon();
    for (int i = from; i < to; i++) {
      float gi = g[i] + wd * p[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      p[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtC2 + eps);
    }
  }

  /** SGD with optional momentum/Nesterov and coupled weight decay (PyTorch's formulas). */
  public static void sgd(SGD o, float[] p, float[] g, float[] buf, long t, double lr, int from, int to) {
    float mu = (float) o.momentum();
    float wd = (float) o.weightDecay();
    float rate = (float) lr;
    for (int i = from; i < to; i++) {
      float gi = g[i] + wd * p[i];
      if (buf != null) {
        buf[i] = t == 1 ? gi : mu * buf[i] + gi;
        gi = o.nesterov() ? gi + mu * buf[i] : buf[i];
      }
      p[i] -= rate * gi;
    }
  }

  static void checkPositive(String opt, String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(opt + ": " + name + " must be a positive number, got " + v);
    }
  }

  static void checkRange(String opt, String name, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi) || (hi == 1 && v == 1)) {
      throw new IllegalArgumentException(opt + ": " + name + " must be in [" + lo + ", " + (hi == 1 ? "1)" : "∞)")
          + ", got " + v);
    }
  }
}
