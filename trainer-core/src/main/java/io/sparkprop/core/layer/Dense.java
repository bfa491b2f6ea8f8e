package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.Initializer;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.tensor.Shape;
import java.util.List;

/**
 * Fully connected layer {@code y = x·W + b} with kernel {@code W[in, out]} (Keras' layout) and
 * bias {@code b[out]}. The input is flattened, so it follows Conv/Flatten layers directly.
 *
 * @param units             output size
 * @param useBias           whether to add {@code b}
 * @param kernelInitializer default Glorot uniform (Keras)
 * @param biasInitializer   default zeros
 * @param regularizer       L1/L2 on the kernel
 */
public record Dense(int units, boolean useBias, Initializer kernelInitializer,
                    Initializer biasInitializer, Regularizer regularizer) implements Layer {

  /** Fills Keras' defaults for what is null (JSON files may leave keys out). */
  public Dense {
    if (units <= 0) {
      throw new IllegalArgumentException("Dense units must be positive, got " + units);
    }
    kernelInitializer = kernelInitializer == null ? Initializer.GLOROT_UNIFORM : kernelInitializer;
    biasInitializer = biasInitializer == null ? Initializer.ZEROS : biasInitializer;
    regularizer = regularizer == null ? Regularizer.NONE : regularizer;
  }

  @JsonCreator
  static Dense fromJson(@JsonProperty("units") int units, @JsonProperty("useBias") Boolean useBias,
                        @JsonProperty("kernelInitializer") Initializer kernelInitializer,
                        @JsonProperty("biasInitializer") Initializer biasInitializer,
                        @JsonProperty("regularizer") Regularizer regularizer) {
    return new Dense(units, useBias == null || useBias, kernelInitializer, biasInitializer, regularizer);
  }

  /** Dense with Keras' defaults. */
  public Dense(int units) {
    this(units, true, null, null, null);
  }

  /** This layer with another kernel initializer. */
  public Dense withInitializer(Initializer kernel) {
    return new Dense(units, useBias, kernel, biasInitializer, regularizer);
  }

  /** This layer with an L1/L2 penalty on its kernel. */
  public Dense withRegularizer(Regularizer r) {
    return new Dense(units, useBias, kernelInitializer, biasInitializer, r);
  }

  @Override
  public Shape outputShape(Shape input) {
    return Shape.of(units);
  }

  @Override
  public List<TensorSpec> params(Shape input) {
    int in = input.size();
    TensorSpec kernel = TensorSpec.trainable("kernel", Shape.of(in, units), kernelInitializer, in, units);
    if (!useBias) {
      return List.of(kernel);
    }
    return List.of(kernel, TensorSpec.trainable("bias", Shape.of(units), biasInitializer, in, units));
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    int bias = useBias ? layout.offset(index, "bias") : -1;
    return new DenseModel(input.size(), units, layout.offset(index, "kernel"), bias);
  }

  @Override
  public String kind() {
    return "dense";
  }
}
