package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/**
 * Max pooling over square windows of each channel of a {@code (C, H, W)} sample:
 * {@code y[c, oh, ow] = max} of the window's real input cells (see {@link Padding}); the
 * gradient flows to the first cell holding the maximum. Without padding, rows and columns the
 * windows do not reach are dropped (PyTorch's and Keras' rule).
 *
 * @param size    window side
 * @param stride  step between windows (default {@code size})
 * @param padding {@code valid} (default) or {@code same}
 */
public record MaxPool2D(int size, int stride, Padding padding) implements Layer {

  public MaxPool2D {
    Pooling.check("MaxPool2D", size, stride);
    padding = padding == null ? Padding.VALID : padding;
  }

  @JsonCreator
  static MaxPool2D fromJson(@JsonProperty("size") int size, @JsonProperty("stride") Integer stride,
                            @JsonProperty("padding") Padding padding) {
    return new MaxPool2D(size, stride == null ? size : stride, padding);
  }

  /** Non-overlapping windows of {@code size}, no padding. */
  public MaxPool2D(int size) {
    this(size, size, null);
  }

  @Override
  public Shape outputShape(Shape input) {
    Window w = Window.of("MaxPool2D", input, size, stride, padding);
    return Shape.of(w.channels(), w.outH(), w.outW());
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new Pooling.Max(Window.of("MaxPool2D", input, size, stride, padding));
  }

  @Override
  public String kind() {
    return "max_pool2d";
  }
}
