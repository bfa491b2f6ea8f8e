package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a convolution or pooling window treats the border (Keras' names and TensorFlow's rules).
 *
 * <ul>
 *   <li>{@code VALID}: no padding; {@code out = ⌊(in − size)/stride⌋ + 1}, so rows and columns
 *       the window cannot reach at the end are dropped.</li>
 *   <li>{@code SAME}: {@code out = ⌈in/stride⌉}; the input is padded with
 *       {@code total = max((out − 1)·stride + size − in, 0)} cells, {@code ⌊total/2⌋} before and
 *       the rest after. Convolutions pad with zeros; pooling ignores padded cells (max over the
 *       real cells, average divided by the number of real cells).</li>
 * </ul>
 */
public enum Padding {
  /** No padding. */
  @JsonProperty("valid") VALID,
  /** Pad so that {@code out = ⌈in/stride⌉}. */
  @JsonProperty("same") SAME;

  /** Output length along one axis of length {@code in}. */
  int outLength(int in, int size, int stride) {
    return this == SAME ? (in + stride - 1) / stride : (in - size) / stride + 1;
  }

  /** Cells of padding before the first input cell along one axis. */
  int padBefore(int in, int size, int stride) {
    if (this == VALID) {
      return 0;
    }
    int total = Math.max((outLength(in, size, stride) - 1) * stride + size - in, 0);
    return total / 2;
  }
}
