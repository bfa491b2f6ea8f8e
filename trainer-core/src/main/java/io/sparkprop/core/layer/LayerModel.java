package io.sparkprop.core.layer;

/**
 * The computation of a bound layer over a batch. Activations are row-major
 * {@code [batch, sampleSize]} blocks starting at index 0. Parameters and gradients are the
 * model's flat vectors; a layer model knows its own offsets. Workspaces a layer needs (dropout
 * masks, im2col buffers) are allocated once and only grow.
 */
public interface LayerModel {

  /** out = f(in) for {@code batch} samples. */
  void forward(float[] params, float[] in, float[] out, int batch, Pass pass);

  /**
   * Back-propagates {@code dOut = dL/dout}: adds dL/dθ into {@code grads} at this layer's
   * offsets and writes dL/din into {@code dIn} (skipped when {@code dIn} is null: the first
   * layer). {@code in} and {@code out} are the values of the matching forward pass.
   */
  void backward(float[] params, float[] in, float[] out, float[] dOut, float[] dIn, float[] grads,
                int batch, Pass pass);
}
