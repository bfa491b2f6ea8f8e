package io.sparkprop.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every available GEMM backend (native BLAS when it loads, netlib's Java BLAS, the row-stable
 * {@link StableGemm}) against the EJML reference, which is itself checked against a plain triple
 * loop in double. All four transpose
 * combinations, odd sizes, operands at offsets inside larger arrays, alpha ≠ 1 and beta 0/1.
 * Values must agree to 1e-6·(1 + Σ_k |a||b| + |beta·c|) (float summation order differs), memory
 * outside C's block must be untouched, and beta 0 must ignore C's old contents (even NaN).
 */
class GemmBackendsTest {
  private static final int[][] SIZES = {
      {1, 1, 1}, {1, 7, 3}, {7, 1, 5}, {5, 3, 1}, {2, 3, 4}, {13, 17, 19}, {33, 65, 31}, {64, 64, 64}, {100, 37, 129},
  };
  private static final int A_OFF = 3;
  private static final int B_OFF = 5;
  private static final int C_OFF = 7;
  private static final int PAD = 4;
  private static final float SENTINEL = -12345f;

  static List<Named<Gemm>> backends() {
    List<Named<Gemm>> out = new ArrayList<>();
    Gemm nat = Gemms.nativeBlas();
    if (nat != null) {
      out.add(Named.of(nat.name(), nat));
    }
    Gemm java = Gemms.javaBlas();
    out.add(Named.of(java.name(), java));
    for (Gemm stable : new Gemm[] {new StableGemm(), new StableGemm(false)}) {
      out.add(Named.of(stable.name(), stable));
    }
    return out;
  }

  static float[] random(int n, long seed) {
    Rng rng = new Rng(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (2 * rng.nextDouble() - 1);
    }
    return v;
  }

  /** op(X)[i][j] of a row-major block at off, X stored [rows×cols] or transposed. */
  static double at(float[] x, int off, boolean trans, int i, int j, int rows, int cols) {
    return trans ? x[off + j * rows + i] : x[off + i * cols + j];
  }

  /** The product in double: alpha·op(A)·op(B) + beta·C, and the magnitude bound per element. */
  static double[][] reference(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b,
                              float beta, float[] c) {
    double[] val = new double[m * n];
    double[] mag = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        double abs = 0;
        for (int l = 0; l < k; l++) {
          double p = at(a, A_OFF, ta, i, l, m, k) * at(b, B_OFF, tb, l, j, k, n);
          s += p;
          abs += Math.abs(p);
        }
        double old = beta == 0f ? 0 : beta * (double) c[C_OFF + i * n + j];
        val[i * n + j] = alpha * s + old;
        mag[i * n + j] = Math.abs(alpha) * abs + Math.abs(old);
      }
    }
    return new double[][] {val, mag};
  }

  /** Runs one product on fresh copies; C holds sentinels around its block and NaN inside for beta 0. */
  static float[] run(Gemm g, boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b,
                     float beta, float[] c0) {
    float[] c = c0.clone();
    if (beta == 0f) {
      for (int i = 0; i < m * n; i++) {
        c[C_OFF + i] = Float.NaN;
      }
    }
    g.gemm(ta, tb, m, n, k, alpha, a.clone(), A_OFF, b.clone(), B_OFF, beta, c, C_OFF);
    for (int i = 0; i < c.length; i++) {
      if ((i < C_OFF || i >= C_OFF + m * n) && c[i] != SENTINEL) {
        fail(g.name() + " wrote outside C's block at index " + i + " (block [" + C_OFF + ", " + (C_OFF + m * n)
            + "), m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb + ")");
      }
    }
    return c;
  }

  static void compare(Gemm g, Gemm reference) {
    int cases = 0;
    for (int[] s : SIZES) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      for (int t = 0; t < 4; t++) {
        boolean ta = (t & 1) != 0;
        boolean tb = (t & 2) != 0;
        for (float beta : new float[] {0f, 1f}) {
          float alpha = beta == 0f ? 1f : -0.75f;
          long seed = 1000L * m + 100L * n + 10L * k + t;
          float[] a = random(A_OFF + m * k + PAD, seed);
          float[] b = random(B_OFF + k * n + PAD, seed + 1);
          float[] c0 = random(C_OFF + m * n + PAD, seed + 2);
          for (int i = 0; i < C_OFF; i++) {
            c0[i] = SENTINEL;
          }
          for (int i = C_OFF + m * n; i < c0.length; i++) {
            c0[i] = SENTINEL;
          }
          double[][] exact = reference(ta, tb, m, n, k, alpha, a, b, beta, c0);
          float[] ours = run(g, ta, tb, m, n, k, alpha, a, b, beta, c0);
          float[] ref = run(reference, ta, tb, m, n, k, alpha, a, b, beta, c0);
          for (int i = 0; i < m * n; i++) {
            double tol = 1e-6 * (1 + exact[1][i]);
            double refErr = Math.abs(ref[C_OFF + i] - exact[0][i]);
            double err = Math.abs(ours[C_OFF + i] - (double) ref[C_OFF + i]);
            if (!(refErr <= tol && err <= tol)) { // also fails on NaN
              fail(String.format("%s m=%d n=%d k=%d transA=%b transB=%b alpha=%s beta=%s C[%d]: ours %s, EJML %s,"
                  + " exact %s, tolerance %s", g.name(), m, n, k, ta, tb, alpha, beta, i, ours[C_OFF + i],
                  ref[C_OFF + i], exact[0][i], tol));
            }
          }
          cases++;
        }
      }
    }
    assertThat(cases).isEqualTo(SIZES.length * 8);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void agreesWithEjml(Gemm backend) {
    compare(backend, Gemms.ejml());
  }

  @Test
  void bestIsOneOfTheBackends() {
    Gemm best = Gemms.best();
    assertThat(best).isSameAs(Gemms.best());
    assertThat(best.name()).startsWith(Gemms.nativeBlas() != null ? "native BLAS" : "Java BLAS");
    compare(best, Gemms.ejml());
  }
}
