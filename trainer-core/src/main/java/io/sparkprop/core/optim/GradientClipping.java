package io.sparkprop.core.optim;

/** Gradient clipping by global L2 norm, over index ranges of the flat gradient. */
public final class GradientClipping {
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
   * If ‖g‖ > maxNorm, rescales g by maxNorm/‖g‖ (PyTorch's {@code clip_grad_norm_}, which uses
   * maxNorm/(‖g‖ + 1e-6)). Returns the norm before clipping.
   */
  public static double clipByGlobalNormInPlace(float[] g, int[] ranges, double maxNorm) {
    double norm = globalNorm(g, ranges);
    if (norm > maxNorm) {
      float scale = (float) (maxNorm / (norm + 1e-6));
      for (int r = 0; r < ranges.length; r += 2) {
        for (int i = ranges[r]; i < ranges[r + 1]; i++) {
          g[i] *= scale;
        }
      }
    }
    return norm;
  }
}
