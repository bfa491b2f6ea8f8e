package io.sparkprop.core.optim;

/** Gradient clipping by global L2 norm, over index ranges of the flat gradient. */
public final class GradientClipping {
  /** PyTorch's {@code clip_grad_norm_} adds this to the norm before dividing. */
  static final double NORM_EPSILON = 1e-6;

  private GradientClipping() {
  }

  /** ‖g‖₂ over the ranges, accumulated in double. */
  public static double globalNorm(float[] g, int[] ranges) {
    double s = 0;
    for (int r = 0; r < ranges.length; r += 2) {
      for (int i = ranges[r]; i < ranges[r + 1]; i++) {
        s += (double) g[i] * g[i];
      }
    }
    return Math.sqrt(s);
  }

  /**
   * PyTorch's {@code clip_grad_norm_}: with {@code c = maxNorm/(‖g‖ + 1e-6)}, scales g in place
   * by {@code c} over the ranges when {@code c < 1} (so the norm becomes just under maxNorm).
   * Returns the norm before clipping.
   */
  public static double clipByGlobalNormInPlace(float[] g, int[] ranges, double maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("gradient clipping: maxNorm must be > 0, got " + maxNorm);
    }
    double norm = globalNorm(g, ranges);
    double coef = maxNorm / (norm + NORM_EPSILON);
    if (coef < 1) {
      float scale = (float) coef;
      for (int r = 0; r < ranges.length; r += 2) {
        for (int i = ranges[r]; i < ranges[r + 1]; i++) {
          g[i] *= scale;
        }
      }
    }
    return norm;
  }
}
