package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.Initializer;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.tensor.Shape;
import java.util.List;

/**
 * 2-D convolution (cross-correlation, as in every deep-learning library) over {@code (C, H, W)}
 * samples:
 *
 * <pre>y[f, oh, ow] = b[f] + Σ_{c, i, j} K[f, c, i, j] · x[c, oh·s − pt + i, ow·s − pl + j]</pre>
 *
 * with zero padding outside the input. Layouts are PyTorch's, so its weights load directly:
 * samples are channel-first {@code (C, H, W)} (batches NCHW), the kernel is
 * {@code [filters, C, kernelSize, kernelSize]}, the output is {@code (filters, outH, outW)}
 * (see {@link Padding} for the output size). Computed as im2col plus one GEMM per chunk of
 * samples through the pass's GEMM (BLAS in training, the row-stable kernel in inference), as
 * {@link Dense}.
 *
 * @param filters           output channels
 * @param kernelSize        side of the square kernel
 * @param stride            step between windows, both axes (default 1)
 * @param padding           {@code valid} (default) or {@code same}
 * @param useBias           whether to add {@code b} (default true)
 * @param kernelInitializer default Glorot uniform with Keras' fans
 *                          ({@code C·k²} in, {@code filters·k²} out)
 * @param biasInitializer   default zeros
 * @param regularizer       L1/L2 on the kernel
 */
public record Conv2D(int filters, int kernelSize, int stride, Padding padding, boolean useBias,
                     Initializer kernelInitializer, Initializer biasInitializer, Regularizer regularizer)
    implements Layer {

  /** Checks sizes and fills Keras' defaults for what is null (JSON files may leave keys out). */
  public Conv2D {
    if (filters <= 0 || kernelSize <= 0 || stride <= 0) {
      throw new IllegalArgumentException("Conv2D filters, kernelSize and stride must be positive, got filters="
          + filters + " kernelSize=" + kernelSize + " stride=" + stride);
    }
    padding = padding == null ? Padding.VALID : padding;
    kernelInitializer = kernelInitializer == null ? Initializer.GLOROT_UNIFORM : kernelInitializer;
    biasInitializer = biasInitializer == null ? Initializer.ZEROS : biasInitializer;
    regularizer = regularizer == null ? Regularizer.NONE : regularizer;
  }

  @JsonCreator
  static Conv2D fromJson(@JsonProperty("filters") int filters, @JsonProperty("kernelSize") int kernelSize,
                         @JsonProperty("stride") Integer stride, @JsonProperty("padding") Padding padding,
                         @JsonProperty("useBias") Boolean useBias,
                         @JsonProperty("kernelInitializer") Initializer kernelInitializer,
                         @JsonProperty("biasInitializer") Initializer biasInitializer,
                         @JsonProperty("regularizer") Regularizer regularizer) {
    return new Conv2D(filters, kernelSize, stride == null ? 1 : stride, padding, useBias == null || useBias,
        kernelInitializer, biasInitializer, regularizer);
  }

  /** Conv2D with Keras' defaults: stride 1, padding {@code valid}, bias, Glorot uniform. */
  public Conv2D(int filters, int kernelSize) {
    this(filters, kernelSize, 1, null, true, null, null, null);
  }

  /** This layer with another stride. */
  public Conv2D withStride(int s) {
    return new Conv2D(filters, kernelSize, s, padding, useBias, kernelInitializer, biasInitializer, regularizer);
  }

  /** This layer with another padding. */
  public Conv2D withPadding(Padding p) {
    return new Conv2D(filters, kernelSize, stride, p, useBias, kernelInitializer, biasInitializer, regularizer);
  }

  /** This layer with or without a bias. */
  public Conv2D withBias(boolean bias) {
    return new Conv2D(filters, kernelSize, stride, padding, bias, kernelInitializer, biasInitializer, regularizer);
  }

  /** This layer with another kernel initializer. */
  public Conv2D withInitializer(Initializer kernel) {
    return new Conv2D(filters, kernelSize, stride, padding, useBias, kernel, biasInitializer, regularizer);
  }

  /** This layer with an L1/L2 penalty on its kernel. */
  public Conv2D withRegularizer(Regularizer r) {
    return new Conv2D(filters, kernelSize, stride, padding, useBias, kernelInitializer, biasInitializer, r);
  }

  private Window window(Shape input) {
    return Window.of("Conv2D", input, kernelSize, stride, padding);
  }

  @Override
  public Shape outputShape(Shape input) {
    Window w = window(input);
    return Shape.of(filters, w.outH(), w.outW());
  }

  @Override
  public List<TensorSpec> params(Shape input) {
    int c = window(input).channels();
    int area = kernelSize * kernelSize;
    TensorSpec kernel = TensorSpec.trainable("kernel", Shape.of(filters, c, kernelSize, kernelSize),
        kernelInitializer, c * area, filters * area);
    if (!useBias) {
      return List.of(kernel);
    }
    return List.of(kernel, TensorSpec.trainable("bias", Shape.of(filters), biasInitializer, c * area, filters * area));
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    int bias = useBias ? layout.offset(index, "bias") : -1;
    return new Conv2DModel(window(input), filters, layout.offset(index, "kernel"), bias,
        Conv2DModel.COL_FLOATS);
  }

  @Override
  public String kind() {
    return "conv2d";
  }
}
