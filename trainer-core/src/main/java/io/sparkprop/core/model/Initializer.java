package io.sparkprop.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.tensor.Rng;

/**
 * Weight initialisers with Keras' definitions (the normal variants are truncated at two
 * standard deviations and rescaled by 1/0.87962566, as Keras does).
 */
public enum Initializer {
  /** U(-l, l), l = sqrt(6 / (fanIn + fanOut)). Keras' default for kernels. */
  @JsonProperty("glorot_uniform") GLOROT_UNIFORM,
  /** Truncated N(0, 2 / (fanIn + fanOut)). */
  @JsonProperty("glorot_normal") GLOROT_NORMAL,
  /** U(-l, l), l = sqrt(6 / fanIn). */
  @JsonProperty("he_uniform") HE_UNIFORM,
  /** Truncated N(0, 2 / fanIn). */
  @JsonProperty("he_normal") HE_NORMAL,
  /** All zeros. Keras' default for biases. */
  @JsonProperty("zeros") ZEROS,
  /** All ones (batch-norm scale and variance). */
  @JsonProperty("ones") ONES;

  private static final double TRUNCATED_STD = 0.87962566103423978;

  /** Fills {@code out[off, off+len)} for a tensor with the given fans, drawing from {@code rng}. */
  public void fill(float[] out, int off, int len, int fanIn, int fanOut, Rng rng) {
    switch (this) {
      case ZEROS -> java.util.Arrays.fill(out, off, off + len, 0f);
      case ONES -> java.util.Arrays.fill(out, off, off + len, 1f);
      case GLOROT_UNIFORM -> uniform(out, off, len, Math.sqrt(6.0 / (fanIn + fanOut)), rng);
      case HE_UNIFORM -> uniform(out, off, len, Math.sqrt(6.0 / fanIn), rng);
      case GLOROT_NORMAL -> truncatedNormal(out, off, len, Math.sqrt(2.0 / (fanIn + fanOut)), rng);
      case HE_NORMAL -> truncatedNormal(out, off, len, Math.sqrt(2.0 / fanIn), rng);
      default -> throw new IllegalStateException(name());
    }
  }

  private static void uniform(float[] out, int off, int len, double limit, Rng rng) {
    for (int i = 0; i < len; i++) {
      out[off + i] = (float) ((2.0 * rng.nextDouble() - 1.0) * limit);
    }
  }

  private static void truncatedNormal(float[] out, int off, int len, double std, Rng rng) {
    double s = std / TRUNCATED_STD;
    for (int i = 0; i < len; i++) {
      double z;
      do {
        z = rng.nextGaussian();
      } while (Math.abs(z) > 2.0);
      out[off + i] = (float) (z * s);
    }
  }
}
