package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.Initializer;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.tensor.Shape;
import java.util.List;

/**
 * A lookup table {@code embeddings[inputDim, outputDim]}: token ids {@code (T)} become vectors
 * {@code (T, outputDim)}. Id 0 is padding by convention: the steps at and past each sample's
 * length ({@link Pass#lengths()}, derived from trailing zeros for token data) give zero vectors,
 * receive no gradient and are masked by the sequence layers after it. Must be the model's first
 * layer; the ids come as ints through {@link Pass#ids()} (or, without them, as the float input
 * rounded to int).
 *
 * @param inputDim              vocabulary size: ids lie in {@code [0, inputDim)}
 * @param outputDim             vector size
 * @param embeddingsInitializer default U(-0.05, 0.05) (Keras)
 */
public record Embedding(int inputDim, int outputDim, Initializer embeddingsInitializer) implements Layer {

  public Embedding {
    if (inputDim <= 0 || outputDim <= 0) {
      throw new IllegalArgumentException("Embedding needs a positive inputDim and outputDim, got " + inputDim
          + " and " + outputDim);
    }
    embeddingsInitializer = embeddingsInitializer == null ? Initializer.UNIFORM : embeddingsInitializer;
  }

  @JsonCreator
  static Embedding fromJson(@JsonProperty("inputDim") int inputDim, @JsonProperty("outputDim") int outputDim,
                            @JsonProperty("embeddingsInitializer") Initializer init) {
    return new Embedding(inputDim, outputDim, init);
  }

  /** An embedding of {@code inputDim} ids into {@code outputDim} floats, Keras' initializer. */
  public Embedding(int inputDim, int outputDim) {
    this(inputDim, outputDim, null);
  }

  @Override
  public Shape outputShape(Shape input) {
    if (input.rank() != 1) {
      throw new IllegalArgumentException("Embedding takes a sequence of ids (T), got " + input);
    }
    return Shape.of(input.dim(0), outputDim);
  }

  @Override
  public List<TensorSpec> params(Shape input) {
    return List.of(TensorSpec.trainable("embeddings", Shape.of(inputDim, outputDim), embeddingsInitializer,
        inputDim, outputDim));
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new EmbeddingModel(input.dim(0), inputDim, outputDim, layout.offset(index, "embeddings"));
  }

  @Override
  public String kind() {
    return "embedding";
  }
}
