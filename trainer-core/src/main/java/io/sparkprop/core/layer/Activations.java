package io.sparkprop.core.layer;

/** The element-wise activation maths, one small class per function. */
final class Activations {
  private Activations() {
  }

  /** y = max(0, x)·1 + min(0, x)·alpha: ReLU when alpha = 0, leaky ReLU otherwise. */
  static final class Leaky extends ElementwiseModel {
    private final float alpha;

    Leaky(int size, float alpha) {
      super(size);
      this.alpha = alpha;
    }

    @Override
    void apply(float[] x, float[] y, int n) {
      for (int i = 0; i < n; i++) {
        float v = x[i];
        y[i] = v > 0f ? v : alpha * v;
      }
    }

    @Override
    void derive(float[] x, float[] y, float[] dy, float[] dx, int n) {
      for (int i = 0; i < n; i++) {
        dx[i] = x[i] > 0f ? dy[i] : alpha * dy[i];
      }
    }
  }

  /** y = x for x > 0, alpha·(eˣ − 1) otherwise; y' = 1 or y + alpha. */
  static final class Elu extends ElementwiseModel {
    private final float alpha;

    Elu(int size, float alpha) {
      super(size);
      this.alpha = alpha;
    }

    @Override
    void apply(float[] x, float[] y, int n) {
      for (int i = 0; i < n; i++) {
        float v = x[i];
        y[i] = v > 0f ? v : (float) (alpha * Math.expm1(v));
      }
    }

    @Override
    void derive(float[] x, float[] y, float[] dy, float[] dx, int n) {
      for (int i = 0; i < n; i++) {
        dx[i] = x[i] > 0f ? dy[i] : dy[i] * (y[i] + alpha);
      }
    }
  }

  /** Exact GELU: y = x·Φ(x), y' = Φ(x) + x·φ(x), Φ the standard normal CDF. */
  static final class Gelu extends ElementwiseModel {
    private static final double INV_SQRT2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    Gelu(int size) {
      super(size);
    }

    @Override
    void apply(float[] x, float[] y, int n) {
      for (int i = 0; i < n; i++) {
        double v = x[i];
        y[i] = (float) (v * cdf(v));
      }
    }

    @Override
    void derive(float[] x, float[] y, float[] dy, float[] dx, int n) {
      for (int i = 0; i < n; i++) {
        double v = x[i];
        double d = cdf(v) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
        dx[i] = (float) (dy[i] * d);
      }
    }

    /** Φ(x) = erfc(−x/√2)/2. */
    static double cdf(double x) {
      return 0.5 * erfc(-x * INV_SQRT2);
    }

    /** erfc with fractional error below 1.2e-7 everywhere (Numerical Recipes' Chebyshev fit). */
    static double erfc(double x) {
      double z = Math.abs(x);
      double t = 1.0 / (1.0 + 0.5 * z);
      double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
          + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
          + t * (-0.82215223 + t * 0.17087277)))))))));
      return x >= 0 ? r : 2.0 - r;
    }
  }

  /** y = 1/(1 + e⁻ˣ) computed without overflow; y' = y(1 − y). */
  static final class Sigm extends ElementwiseModel {
    Sigm(int size) {
      super(size);
    }

    @Override
    void apply(float[] x, float[] y, int n) {
      for (int i = 0; i < n; i++) {
        y[i] = sigmoid(x[i]);
      }
    }

    @Override
    void derive(float[] x, float[] y, float[] dy, float[] dx, int n) {
      for (int i = 0; i < n; i++) {
        dx[i] = dy[i] * y[i] * (1f - y[i]);
      }
    }

    static float sigmoid(float v) {
      if (v >= 0f) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
      }
      double e = Math.exp(v);
      return (float) (e / (1.0 + e));
    }
  }

  /** y = tanh(x); y' = 1 − y². */
  static final class Tan extends ElementwiseModel {
    Tan(int size) {
      super(size);
    }

    @Override
    void apply(float[] x, float[] y, int n) {
      for (int i = 0; i < n; i++) {
        y[i] = (float) Math.tanh(x[i]);
      }
    }

    @Override
    void derive(float[] x, float[] y, float[] dy, float[] dx, int n) {
      for (int i = 0; i < n; i++) {
        dx[i] = dy[i] * (1f - y[i] * y[i]);
      }
    }
  }

  /** Identity (Flatten): a copy, since activations live in separate buffers. */
  static final class Identity extends ElementwiseModel {
    Identity(int size) {
      super(size);
    }

    @Override
    void apply(float[] x, float[] y, int n) {
      System.arraycopy(x, 0, y, 0, n);
    }

    @Override
    void derive(float[] x, float[] y, float[] dy, float[] dx, int n) {
      System.arraycopy(dy, 0, dx, 0, n);
    }
  }
}
