package io.sparkprop.core.model;

import io.sparkprop.core.tensor.Shape;

/**
 * One tensor a layer owns in the flat parameter vector.
 *
 * <p>Trainable tensors are updated by the optimizer from their gradient. Non-trainable tensors
 * are layer state (batch-norm running statistics): during the backward pass a layer adds
 * {@code batch · statistic} into the gradient slots of its state tensors; after the gradient is
 * summed over partitions and divided by the sample count, those slots hold the sample-weighted
 * mean of the batch statistics, and the trainer applies
 * {@code state = (1 − stateMomentum)·state + stateMomentum·slot} instead of an optimizer step.
 *
 * @param name          short name within its layer ("kernel", "bias", "running_mean")
 * @param shape         its shape (Dense kernel {@code [in, out]}, Conv2D {@code [out, in, kh, kw]})
 * @param initializer   how it is initialised
 * @param trainable     false for layer state that the optimizer must not touch
 * @param fanIn         inputs feeding one output unit (for Glorot/He scaling)
 * @param fanOut        outputs fed by one input unit
 * @param stateMomentum for non-trainable state, the weight of the new batch statistic (0.1 in
 *                      PyTorch's batch norm); 0 for trainable tensors
 */
public record TensorSpec(String name, Shape shape, Initializer initializer, boolean trainable,
                         int fanIn, int fanOut, double stateMomentum) {

  /** A trainable tensor. */
  public static TensorSpec trainable(String name, Shape shape, Initializer init, int fanIn, int fanOut) {
    return new TensorSpec(name, shape, init, true, fanIn, fanOut, 0);
  }

  /** A non-trainable state tensor updated as a running average with the given momentum. */
  public static TensorSpec state(String name, Shape shape, Initializer init, double momentum) {
    return new TensorSpec(name, shape, init, false, 1, 1, momentum);
  }

  /** Number of floats. */
  public int size() {
    return shape.size();
  }
}
