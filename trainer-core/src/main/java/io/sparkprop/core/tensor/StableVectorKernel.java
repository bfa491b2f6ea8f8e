package io.sparkprop.core.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link StableGemm}'s sums through the Vector API ({@code jdk.incubator.vector}), used only when
 * the JVM runs with {@code --add-modules jdk.incubator.vector}. Each lane holds one element of C
 * and takes its products one at a time in order of p, lanewise {@code s = s + a·b} (a rounded
 * product, then a rounded sum; never {@code fma}), so the bits equal the plain-Java loop's.
 *
 * <p>Speed: a tile of 4 rows × 2 vectors of C stays in registers over the whole of k (8
 * accumulators, per p two loads of B and four broadcasts of A); columns outermost, so a strip of
 * B ({@code k × 2} vectors) is reused from cache by every row tile. Columns left over take one
 * vector, then scalar loops, rows left over one row at a time: every element the same order.
 */
final class StableVectorKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private StableVectorKernel() {
  }

  /**
   * c[i, j] = alpha·s + beta·c[i, j] (c not read when beta = 0), s the sum in order of p of
   * a[i, p]·b[p, j]; A row-major [m, k] at aOff, B row-major [k, n] at bOff, C [m, n] at cOff.
   */
  static void gemm(int m, int n, int k, float alpha, float[] a, int aOff, float[] b, int bOff, float beta,
                   float[] c, int cOff) {
    int j = 0;
    for (; j + 2 * L <= n; j += 2 * L) {
      int i = 0;
      for (; i + 3 < m; i += 4) {
        tile4x2(k, n, a, aOff + i * k, b, bOff + j, alpha, beta, c, cOff + i * n + j);
      }
      for (; i < m; i++) {
        tile1x1(k, n, a, aOff + i * k, b, bOff + j, alpha, beta, c, cOff + i * n + j);
        tile1x1(k, n, a, aOff + i * k, b, bOff + j + L, alpha, beta, c, cOff + i * n + j + L);
      }
    }
    for (; j + L <= n; j += L) {
      for (int i = 0; i < m; i++) {
        tile1x1(k, n, a, aOff + i * k, b, bOff + j, alpha, beta, c, cOff + i * n + j);
      }
    }
    for (; j < n; j++) {
      for (int i = 0; i < m; i++) {
        float s = 0f;
        int ai = aOff + i * k;
        for (int p = 0; p < k; p++) {
          s += a[ai + p] * b[bOff + p * n + j];
        }
        int at = cOff + i * n + j;
        c[at] = beta == 0f ? alpha * s : alpha * s + beta * c[at];
      }
    }
  }

  /** Rows a0 .. a0 + 3k (stride k) times B columns [b, b + 2L) into C at c (row stride n). */
  private static void tile4x2(int k, int n, float[] a, int a0, float[] b, int b0, float alpha, float beta,
                              float[] c, int c0) {
    FloatVector s00 = FloatVector.zero(S);
    FloatVector s01 = FloatVector.zero(S);
    FloatVector s10 = FloatVector.zero(S);
    FloatVector s11 = FloatVector.zero(S);
    FloatVector s20 = FloatVector.zero(S);
    FloatVector s21 = FloatVector.zero(S);
    FloatVector s30 = FloatVector.zero(S);
    FloatVector s31 = FloatVector.zero(S);
    int a1 = a0 + k;
    int a2 = a1 + k;
    int a3 = a2 + k;
    for (int p = 0; p < k; p++) {
      int bp = b0 + p * n;
      FloatVector v0 = FloatVector.fromArray(S, b, bp);
      FloatVector v1 = FloatVector.fromArray(S, b, bp + L);
      FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
      s00 = s00.add(x.mul(v0));
      s01 = s01.add(x.mul(v1));
      x = FloatVector.broadcast(S, a[a1 + p]);
      s10 = s10.add(x.mul(v0));
      s11 = s11.add(x.mul(v1));
      x = FloatVector.broadcast(S, a[a2 + p]);
      s20 = s20.add(x.mul(v0));
      s21 = s21.add(x.mul(v1));
      x = FloatVector.broadcast(S, a[a3 + p]);
      s30 = s30.add(x.mul(v0));
      s31 = s31.add(x.mul(v1));
    }
    store(s00, alpha, beta, c, c0);
    store(s01, alpha, beta, c, c0 + L);
    store(s10, alpha, beta, c, c0 + n);
    store(s11, alpha, beta, c, c0 + n + L);
    store(s20, alpha, beta, c, c0 + 2 * n);
    store(s21, alpha, beta, c, c0 + 2 * n + L);
    store(s30, alpha, beta, c, c0 + 3 * n);
    store(s31, alpha, beta, c, c0 + 3 * n + L);
  }

  /** Row a0 times B columns [b0, b0 + L) into C at c0. */
  private static void tile1x1(int k, int n, float[] a, int a0, float[] b, int b0, float alpha, float beta,
                              float[] c, int c0) {
    FloatVector s = FloatVector.zero(S);
    for (int p = 0; p < k; p++) {
      s = s.add(FloatVector.broadcast(S, a[a0 + p]).mul(FloatVector.fromArray(S, b, b0 + p * n)));
    }
    store(s, alpha, beta, c, c0);
  }

  /** c[at, at + L) = alpha·s + beta·c (c not read when beta = 0), as the scalar loop rounds it. */
  private static void store(FloatVector s, float alpha, float beta, float[] c, int at) {
    FloatVector v = s.mul(alpha);
    if (beta != 0f) {
      v = v.add(FloatVector.fromArray(S, c, at).mul(beta));
    }
    v.intoArray(c, at);
  }
}
