package io.sparkprop.core.layer;

import io.sparkprop.core.tensor.Shape;

/**
 * The geometry of a square sliding window over one {@code (C, H, W)} sample: input size, window
 * size, stride, padding before the first row/column and output size. The window at output
 * {@code (oh, ow)} covers input rows {@code oh·stride − padTop + [0, size)} and columns
 * {@code ow·stride − padLeft + [0, size)}; cells outside the input are padding.
 *
 * @param channels C
 * @param height   H
 * @param width    W
 * @param size     window side
 * @param stride   step between windows
 * @param padTop   padded rows before row 0
 * @param padLeft  padded columns before column 0
 * @param outH     output rows
 * @param outW     output columns
 */
record Window(int channels, int height, int width, int size, int stride, int padTop, int padLeft,
              int outH, int outW) {

  /**
   * The window of a layer named {@code layer} over {@code input}, which must be {@code (C, H, W)}.
   *
   * @throws IllegalArgumentException naming the layer when the input is not rank 3 or too small
   */
  static Window of(String layer, Shape input, int size, int stride, Padding padding) {
    if (input.rank() != 3) {
      throw new IllegalArgumentException(layer + " needs image input of shape (channels, height, width), got "
          + input + "; give the Sequential an input shape such as (1, 28, 28)");
    }
    int h = input.dim(1);
    int w = input.dim(2);
    if (padding == Padding.VALID && (h < size || w < size)) {
      throw new IllegalArgumentException(layer + " with window " + size + " and padding 'valid' needs input of at least "
          + size + "x" + size + ", got " + input);
    }
    return new Window(input.dim(0), h, w, size, stride, padding.padBefore(h, size, stride),
        padding.padBefore(w, size, stride), padding.outLength(h, size, stride), padding.outLength(w, size, stride));
  }

  /** Floats in one input plane, {@code H·W}. */
  int inPlane() {
    return height * width;
  }

  /** Floats in one output plane, {@code outH·outW}. */
  int outPlane() {
    return outH * outW;
  }

  /** First output column whose window column {@code kj} lies inside the input (≥ 0). */
  int firstInsideColumn(int kj) {
    int lo = padLeft - kj;
    return lo <= 0 ? 0 : Math.min(outW, (lo + stride - 1) / stride);
  }

  /** One past the last output column whose window column {@code kj} lies inside the input. */
  int endInsideColumn(int kj) {
    int hi = width + padLeft - kj;
    int end = hi <= 0 ? 0 : Math.min(outW, (hi + stride - 1) / stride);
    return Math.max(end, firstInsideColumn(kj));
  }
}
