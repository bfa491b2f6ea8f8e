package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;
import java.util.Arrays;

/**
 * Adds {@code rows} zero rows above and below and {@code cols} zero columns left and right of
 * each plane of a {@code (C, H, W)} sample: output {@code (C, H + 2·rows, W + 2·cols)}. Followed
 * by a {@code valid} {@link Conv2D} it gives PyTorch's symmetric {@code padding=p} at any stride
 * (Keras' {@code same} pads asymmetrically when the stride is above 1).
 *
 * @param rows zero rows on each side (top and bottom)
 * @param cols zero columns on each side (left and right)
 */
public record ZeroPadding2D(int rows, int cols) implements Layer {

  /** Checks the sizes. */
  public ZeroPadding2D {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("ZeroPadding2D rows and cols must be >= 0, got rows=" + rows
          + " cols=" + cols);
    }
  }

  @JsonCreator
  static ZeroPadding2D fromJson(@JsonProperty("rows") int rows, @JsonProperty("cols") int cols) {
    return new ZeroPadding2D(rows, cols);
  }

  /** The same padding on all four sides. */
  public ZeroPadding2D(int padding) {
    this(padding, padding);
  }

  @Override
  public Shape outputShape(Shape input) {
    Window w = Window.of("ZeroPadding2D", input, 1, 1, Padding.VALID);
    return Shape.of(w.channels(), w.height() + 2 * rows, w.width() + 2 * cols);
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new Model(Window.of("ZeroPadding2D", input, 1, 1, Padding.VALID), rows, cols);
  }

  @Override
  public String kind() {
    return "zero_padding2d";
  }

  /** Copies each plane into the middle of a zeroed, larger plane; backward reads the middle back. */
  private record Model(Window g, int rows, int cols) implements LayerModel {

    @Override
    public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
      int h = g.height();
      int w = g.width();
      int ow = w + 2 * cols;
      int outPlane = (h + 2 * rows) * ow;
      int planes = batch * g.channels();
      Arrays.fill(y, 0, planes * outPlane, 0f);
      for (int q = 0; q < planes; q++) {
        for (int r = 0; r < h; r++) {
          System.arraycopy(x, q * h * w + r * w, y, q * outPlane + (r + rows) * ow + cols, w);
        }
      }
    }

    @Override
    public void backward(Backward b) {
      float[] dy = b.outputGrad();
      float[] dx = b.inputGrad();
      if (dx == null) {
        return;
      }
      int h = g.height();
      int w = g.width();
      int ow = w + 2 * cols;
      int outPlane = (h + 2 * rows) * ow;
      int planes = b.batch() * g.channels();
      for (int q = 0; q < planes; q++) {
        for (int r = 0; r < h; r++) {
          System.arraycopy(dy, q * outPlane + (r + rows) * ow + cols, dx, q * h * w + r * w, w);
        }
      }
    }
  }
}
