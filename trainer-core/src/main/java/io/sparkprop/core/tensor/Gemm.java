package io.sparkprop.core.tensor;

/**
 * Row-major single-precision matrix multiply, the hot path of every Dense and Conv layer.
 *
 * <p>All matrices are dense row-major blocks inside flat arrays, starting at an offset. With
 * {@code op(X)} either {@code X} or {@code Xᵀ}:
 *
 * <pre>C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C</pre>
 *
 * where A is stored as {@code [m×k]} (or {@code [k×m]} when transposed) and B as {@code [k×n]}
 * (or {@code [n×k]}). Inputs first, output last, as in EJML.
 */
public interface Gemm {

  /** C = alpha·op(A)·op(B) + beta·C, all row-major. */
  void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff);

  /** A short name of the backend, for logs ("native OpenBLAS", "Java BLAS", "EJML"). */
  String name();
}
