package io.sparkprop.core.layer;

import io.sparkprop.core.tensor.Shape;

/** Two directions into workspaces, interleaved per row: y[row] = [forward row, backward row]. */
final class BidirectionalModel implements LayerModel {
  private final RecurrentModel forward;
  private final RecurrentModel backward;
  private final int inSize;
  private final int rowsPerSample;
  private final int width;
  private float[] yf = new float[0];
  private float[] yb = new float[0];
  private float[] dyf = new float[0];
  private float[] dyb = new float[0];
  private float[] dx2 = new float[0];
  private Backward inner;
  private Pass innerPass;

  BidirectionalModel(RecurrentModel forward, RecurrentModel backward, int inSize, Shape oneDirection) {
    this.forward = forward;
    this.backward = backward;
    this.inSize = inSize;
    this.rowsPerSample = oneDirection.rank() == 2 ? oneDirection.dim(0) : 1;
    this.width = oneDirection.rank() == 2 ? oneDirection.dim(1) : oneDirection.dim(0);
  }

  private void ensure(int batch) {
    int n = batch * rowsPerSample * width;
    if (yf.length < n) {
      yf = new float[n];
      yb = new float[n];
      dyf = new float[n];
      dyb = new float[n];
    }
  }

  @Override
  public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
    ensure(batch);
    forward.forward(params, x, yf, batch, pass);
    backward.forward(params, x, yb, batch, pass);
    int rows = batch * rowsPerSample;
    for (int i = 0; i < rows; i++) {
      System.arraycopy(yf, i * width, y, 2 * i * width, width);
      System.arraycopy(yb, i * width, y, (2 * i + 1) * width, width);
    }
  }

  /** Splits dy into the two directions; dx = dx_forward + dx_backward. */
  @Override
  public void backward(Backward b) {
    int batch = b.batch();
    float[] dy = b.outputGrad();
    int rows = batch * rowsPerSample;
    for (int i = 0; i < rows; i++) {
      System.arraycopy(dy, 2 * i * width, dyf, i * width, width);
      System.arraycopy(dy, (2 * i + 1) * width, dyb, i * width, width);
    }
    if (inner == null || innerPass != b.pass()) {
      inner = new Backward(b.pass());
      innerPass = b.pass();
    }
    inner.vectors(b.params(), b.paramGrads(), batch);
    float[] dx = b.inputGrad();
    if (dx != null && dx2.length < batch * inSize) {
      dx2 = new float[batch * inSize];
    }
    forward.backward(inner.layer(b.input(), yf, dyf, dx));
    backward.backward(inner.layer(b.input(), yb, dyb, dx == null ? null : dx2));
    if (dx != null) {
      for (int i = 0; i < batch * inSize; i++) {
        dx[i] += dx2[i];
      }
    }
  }
}
