package io.sparkprop.core.tensor;

import dev.ludovic.netlib.blas.BLAS;

/**
 * {@link Gemm} through dev.ludovic.netlib: native BLAS (OpenBLAS when {@code libblas.so.3}
 * points at it) or its Java implementation.
 *
 * <p>Row-major maps onto column-major BLAS by swapping operands: the row-major product
 * C = op(A)·op(B) is the column-major product Cᵀ = op(B)ᵀ·op(A)ᵀ, so we call
 * {@code sgemm(opB, opA, n, m, k, alpha, B, ldb, A, lda, beta, C, n)}.
 */
public final class NetlibGemm implements Gemm {
  private final BLAS blas;
  private final String name;

  public NetlibGemm(BLAS blas, String name) {
    this.blas = blas;
    this.name = name;
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                   float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
    if (m == 0 || n == 0) {
      return;
    }
    // Leading dimensions of the row-major storage, seen as column-major transposes.
    int lda = transA ? m : k;
    int ldb = transB ? k : n;
    blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha,
        b, bOff, Math.max(1, ldb), a, aOff, Math.max(1, lda), beta, c, cOff, n);
  }

  @Override
  public String name() {
    return name;
  }
}
