package io.sparkprop.core.layer;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/**
 * The mean of each channel of a {@code (C, H, W)} sample: {@code y[c] = (1/(H·W))·Σ x[c, :, :]},
 * output shape {@code (C)}; every input cell receives {@code dy[c]/(H·W)}.
 */
public record GlobalAveragePooling2D() implements Layer {

  @Override
  public Shape outputShape(Shape input) {
    return Shape.of(window(input).channels());
  }

  private static Window window(Shape input) {
    return Window.of("GlobalAveragePooling2D", input, 1, 1, Padding.VALID);
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new Pooling.GlobalAvg(window(input));
  }

  @Override
  public String kind() {
    return "global_avg_pool2d";
  }
}
