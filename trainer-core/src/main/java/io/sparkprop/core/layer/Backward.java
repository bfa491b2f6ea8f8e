package io.sparkprop.core.layer;

import io.sparkprop.core.model.SparseRows;

/**
 * What one layer's backward pass reads and writes. The network holds one of these and points it
 * at each layer's buffers in turn, so a step allocates nothing.
 *
 * <p>Read: the parameters, the layer's forward {@link #input()} and {@link #output()}, and
 * {@link #outputGrad()} = ∂L/∂output. Written: {@link #inputGrad()} = ∂L/∂input is
 * <em>overwritten</em> (null for the first layer: skip it); {@link #paramGrads()} is the model's
 * gradient vector, which a layer <em>adds into</em> at its own offsets.
 */
public final class Backward {
  private final Pass pass;
  private float[] params;
  private float[] input;
  private float[] output;
  private float[] outputGrad;
  private float[] inputGrad;
  private float[] paramGrads;
  private int batch;
  private SparseRows rows;

  /** A context for passes of kind {@code pass}. */
  public Backward(Pass pass) {
    this.pass = pass;
  }

  /** Parameters and gradient vector, shared by every layer of one backward pass; returns this. */
  public Backward vectors(float[] params, float[] paramGrads, int batch) {
    this.params = params;
    this.paramGrads = paramGrads;
    this.batch = batch;
    return this;
  }

  /**
   * Where embedding layers record the table rows they add into (null: nobody needs to know, the
   * caller zeroes and reads the whole gradient vector); returns this.
   */
  public Backward rows(SparseRows r) {
    this.rows = r;
    return this;
  }

  /** The record of touched embedding rows of this pass, or null. */
  public SparseRows rows() {
    return rows;
  }

  /** One layer's activations and their gradients; returns this. */
  public Backward layer(float[] input, float[] output, float[] outputGrad, float[] inputGrad) {
    this.input = input;
    this.output = output;
    this.outputGrad = outputGrad;
    this.inputGrad = inputGrad;
    return this;
  }

  /** The flat parameter vector θ. */
  public float[] params() {
    return params;
  }

  /** The layer's input of the forward pass, {@code [batch, inSize]}. */
  public float[] input() {
    return input;
  }

  /** The layer's output of the forward pass, {@code [batch, outSize]}. */
  public float[] output() {
    return output;
  }

  /** ∂L/∂output, {@code [batch, outSize]}; read only. */
  public float[] outputGrad() {
    return outputGrad;
  }

  /** ∂L/∂input, {@code [batch, inSize]}, to overwrite; null when nobody needs it (first layer). */
  public float[] inputGrad() {
    return inputGrad;
  }

  /** The gradient vector ∂L/∂θ, laid out as θ: add into it, never overwrite. */
  public float[] paramGrads() {
    return paramGrads;
  }

  /** Samples in the batch. */
  public int batch() {
    return batch;
  }

  /** What the pass is for (training or inference) and its random stream. */
  public Pass pass() {
    return pass;
  }
}
