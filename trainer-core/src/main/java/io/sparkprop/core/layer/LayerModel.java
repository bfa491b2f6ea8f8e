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
   * Back-propagates through the matching forward pass: reads {@link Backward#outputGrad()},
   * adds ∂L/∂θ into {@link Backward#paramGrads()} at this layer's offsets and overwrites
   * {@link Backward#inputGrad()} with ∂L/∂input unless it is null (the first layer).
   */
  void backward(Backward b);
}
