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
  @JsonProperty("ones") ONES,
  /** U(-0.05, 0.05). Keras' default for embeddings. */
  @JsonProperty("uniform") UNIFORM,
  /**
   * A matrix {@code [fanIn, fanOut]} with orthonormal rows (or columns when fanIn > fanOut):
   * Gram-Schmidt on a standard normal draw. Keras' default for recurrent kernels.
   */
  @JsonProperty("orthogonal") ORTHOGONAL;

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
      case UNIFORM -> uniform(out, off, len, 0.05, rng);
      case ORTHOGONAL -> orthogonal(out, off, len, fanIn, rng);
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

  /** Orthonormal rows of {@code [rows, len/rows]} (orthonormal columns when rows exceed columns). */
  private static void orthogonal(float[] out, int off, int len, int rows, Rng rng) {
    int cols = len / rows;
    boolean byRows = rows <= cols;
    int n = byRows ? rows : cols;
    int m = byRows ? cols : rows;
    double[][] v = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        v[i][j] = rng.nextGaussian();
      }
      for (int k = 0; k < i; k++) { // v_i -= (v_i·v_k) v_k, twice for float safety
        for (int pass = 0; pass < 2; pass++) {
          double d = 0;
          for (int j = 0; j < m; j++) {
            d += v[i][j] * v[k][j];
          }
          for (int j = 0; j < m; j++) {
            v[i][j] -= d * v[k][j];
          }
        }
      }
      double norm = 0;
      for (int j = 0; j < m; j++) {
        norm += v[i][j] * v[i][j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < m; j++) {
        v[i][j] /= norm;
      }
    }
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[off + r * cols + c] = (float) (byRows ? v[r][c] : v[c][r]);
      }
    }
  }
}
