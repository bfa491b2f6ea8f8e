package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/**
 * Average pooling over square windows of each channel of a {@code (C, H, W)} sample:
 * {@code y[c, oh, ow] = (1/m)·Σ} over the window's {@code m} real input cells (padding cells are
 * not counted, as in Keras); each of those cells receives {@code dy/m}. Without padding, rows
 * and columns the windows do not reach are dropped.
 *
 * @param size    window side
 * @param stride  step between windows (default {@code size})
 * @param padding {@code valid} (default) or {@code same}
 */
public record AvgPool2D(int size, int stride, Padding padding) implements Layer {

  public AvgPool2D {
    Pooling.check("AvgPool2D", size, stride);
    padding = padding == null ? Padding.VALID : padding;
  }

  @JsonCreator
  static AvgPool2D fromJson(@JsonProperty("size") int size, @JsonProperty("stride") Integer stride,
                            @JsonProperty("padding") Padding padding) {
    return new AvgPool2D(size, stride == null ? size : stride, padding);
  }

  /** Non-overlapping windows of {@code size}, no padding. */
  public AvgPool2D(int size) {
    this(size, size, null);
  }

  @Override
  public Shape outputShape(Shape input) {
    Window w = Window.of("AvgPool2D", input, size, stride, padding);
    return Shape.of(w.channels(), w.outH(), w.outW());
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new Pooling.Avg(Window.of("AvgPool2D", input, size, stride, padding));
  }

  @Override
  public String kind() {
    return "avg_pool2d";
  }
}
