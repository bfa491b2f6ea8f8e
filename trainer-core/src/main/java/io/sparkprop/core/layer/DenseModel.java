package io.sparkprop.core.layer;

import io.sparkprop.core.tensor.Gemm;
import io.sparkprop.core.tensor.Gemms;

/** The maths of {@link Dense}: three GEMMs per step, forward through the pass's {@link Gemm}, backward through BLAS. */
final class DenseModel implements LayerModel {
  private final int in;
  private final int out;
  private final int kernel;
  private final int bias;
  private final Gemm gemm = Gemms.best();

  DenseModel(int in, int out, int kernelOffset, int biasOffset) {
    this.in = in;
    this.out = out;
    this.kernel = kernelOffset;
    this.bias = biasOffset;
  }

  /** Y[batch, out] = X[batch, in]·W[in, out] + 1·bᵀ. */
  @Override
  public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
    if (bias >= 0) {
      for (int r = 0; r < batch; r++) {
        System.arraycopy(params, bias, y, r * out, out);
      }
    }
    pass.gemm().gemm(false, false, batch, out, in, 1f, x, 0, params, kernel, bias >= 0 ? 1f : 0f, y, 0);
  }

  /** dW += Xᵀ·dY; db += Σ_rows dY; dX = dY·Wᵀ. */
  @Override
  public void backward(Backward b) {
    backward(b.params(), b.input(), b.outputGrad(), b.inputGrad(), b.paramGrads(), b.batch(), false);
  }

  /** The same on {@code rows} rows, dX written, or added into when {@code addDx} (residuals). */
  void backward(float[] params, float[] x, float[] dy, float[] dx, float[] grads, int rows, boolean addDx) {
    gemm.gemm(true, false, in, out, rows, 1f, x, 0, dy, 0, 1f, grads, kernel);
    if (bias >= 0) {
      for (int r = 0; r < rows; r++) {
        int row = r * out;
        for (int j = 0; j < out; j++) {
          grads[bias + j] += dy[row + j];
        }
      }
    }
    if (dx != null) {
      gemm.gemm(false, true, rows, in, out, 1f, dy, 0, params, kernel, addDx ? 1f : 0f, dx, 0);
    }
  }
}
