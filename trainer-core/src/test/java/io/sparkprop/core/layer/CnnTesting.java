package io.sparkprop.core.layer;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.testing.Golden;
import io.sparkprop.core.testing.GradientCheck;
import io.sparkprop.core.testing.GradientCheck.Tolerance;

/** Small helpers of the CNN layer tests: data, golden comparisons and gradient checks under MSE. */
final class CnnTesting {
  private CnnTesting() {
  }

  /**
   * {@link GradientCheck#check} of {@code arch} under MSE against random targets in [-1, 1] (every
   * output gets its own weight in the loss).
   */
  static GradientCheck.Result check(Sequential arch, float[] params, float[] x, int batch, boolean training,
                                    Tolerance tol) {
    int w = arch.outputShape().size();
    float[] y = LayerGradientTest.uniform(batch * w, 1.0, 77);
    return GradientCheck.check(arch, new MeanSquaredError(), params, x, y, w, batch, training, tol);
  }

  /** n values uniform in [-1, 1]. */
  static float[] uniform(int n, long seed) {
    return LayerGradientTest.uniform(n, 1.0, seed);
  }

  /** n distinct values {@code (k − n/2)·spacing} in a seeded random order (no ties for max pooling). */
  static float[] distinct(int n, double spacing, long seed) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((i - n / 2) * spacing);
    }
    Rng rng = new Rng(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      float t = v[i];
      v[i] = v[j];
      v[j] = t;
    }
    return v;
  }

  /** A golden tensor node's values. */
  static double[] values(JsonNode tensor) {
    return Golden.tensor(tensor, "tensor").data();
  }

  /** Asserts {@code |actual[from + i]·scale − expected[i]| ≤ 1e-6 + rel·|expected[i]|} for every i. */
  static void assertClose(String what, float[] actual, int from, double scale, double[] expected, double rel) {
    for (int i = 0; i < expected.length; i++) {
      double a = actual[from + i] * scale;
      if (!(Math.abs(a - expected[i]) <= 1e-6 + rel * Math.abs(expected[i]))) {
        throw new AssertionError(what + "[" + i + "] = " + a + ", expected " + expected[i] + " (of "
            + expected.length + " values)");
      }
    }
  }
}
