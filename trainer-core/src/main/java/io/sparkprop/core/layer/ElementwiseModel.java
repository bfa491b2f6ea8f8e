package io.sparkprop.core.layer;

/**
 * A parameter-free layer applied element by element: {@code y = f(x)} and
 * {@code dx = dy ⊙ f'(x)}. Subclasses give the two loops over {@code n = batch·size} floats.
 */
abstract class ElementwiseModel implements LayerModel {
  private final int size;

  ElementwiseModel(int size) {
    this.size = size;
  }

  /** y[i] = f(x[i]) for i < n. */
  abstract void apply(float[] x, float[] y, int n);

  /** dx[i] = dy[i]·f'(x[i]) for i < n (y[i] = f(x[i]) is given too). */
  abstract void derive(float[] x, float[] y, float[] dy, float[] dx, int n);

  @Override
  public final void forward(float[] params, float[] in, float[] out, int batch, Pass pass) {
    apply(in, out, batch * size);
  }

  @Override
  public final void backward(Backward b) {
    float[] in = b.input();
    float[] out = b.output();
    float[] dOut = b.outputGrad();
    float[] dIn = b.inputGrad();
    int batch = b.batch();
    if (dIn != null) {
      derive(in, out, dOut, dIn, batch * size);
    }
  }
}
