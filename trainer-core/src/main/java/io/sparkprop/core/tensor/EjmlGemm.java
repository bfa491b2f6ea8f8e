package io.sparkprop.core.tensor;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * The reference {@link Gemm}: EJML's {@code CommonOps_FDRM} on copies of the operands.
 * Correct and simple, 15-30x slower than native BLAS; used by tests to check the other backends.
 */
public final class EjmlGemm implements Gemm {

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                   float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
    FMatrixRMaj ma = copy(a, aOff, transA ? k : m, transA ? m : k);
    FMatrixRMaj mb = copy(b, bOff, transB ? n : k, transB ? k : n);
    FMatrixRMaj prod = new FMatrixRMaj(m, n);
    if (transA && transB) {
      CommonOps_FDRM.multTransAB(alpha, ma, mb, prod);
    } else if (transA) {
      CommonOps_FDRM.multTransA(alpha, ma, mb, prod);
    } else if (transB) {
      CommonOps_FDRM.multTransB(alpha, ma, mb, prod);
    } else {
      CommonOps_FDRM.mult(alpha, ma, mb, prod);
    }
    for (int i = 0; i < m * n; i++) {
      c[cOff + i] = (beta == 0f ? 0f : beta * c[cOff + i]) + prod.data[i];
    }
  }

  private static FMatrixRMaj copy(float[] src, int off, int rows, int cols) {
    FMatrixRMaj mat = new FMatrixRMaj(rows, cols);
    System.arraycopy(src, off, mat.data, 0, rows * cols);
    return mat;
  }

  @Override
  public String name() {
    return "EJML";
  }
}
