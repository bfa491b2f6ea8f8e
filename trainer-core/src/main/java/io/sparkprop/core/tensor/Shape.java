package io.sparkprop.core.tensor;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The shape of one sample (without the batch dimension): {@code (784)} for a vector,
 * {@code (C, H, W)} for an image (channels first, as PyTorch's NCHW without N).
 * Immutable; serialises to JSON as an array of ints, and is {@link Serializable} so that Spark
 * tasks can carry it (never used for files).
 */
public final class Shape implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int[] dims;

  private Shape(int[] dims) {
    if (dims.length == 0) {
      throw new IllegalArgumentException("a shape needs at least one dimension");
    }
    for (int d : dims) {
      if (d <= 0) {
        throw new IllegalArgumentException("shape dimensions must be positive, got " + Arrays.toString(dims));
      }
    }
    this.dims = dims.clone();
  }

  /** A shape with the given dimensions. */
  @JsonCreator
  public static Shape of(int... dims) {
    return new Shape(dims);
  }

  /** The dimensions, as a copy. */
  @JsonValue
  public int[] dims() {
    return dims.clone();
  }

  /** Number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** Dimension {@code i}. */
  public int dim(int i) {
    return dims[i];
  }

  /** Product of the dimensions: the number of floats in one sample. */
  public int size() {
    int s = 1;
    for (int d : dims) {
      s = Math.multiplyExact(s, d);
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** Keras style: {@code (None, 28, 28)} is written by the summary; this gives {@code (28, 28)}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      b.append(i == 0 ? "" : ", ").append(dims[i]);
    }
    return b.append(')').toString();
  }
}
