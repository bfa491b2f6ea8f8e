package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.Initializer;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.tensor.Shape;
import java.util.List;

/**
 * A learned position embedding added to a sequence (KerasNLP's {@code PositionEmbedding}):
 * {@code y[t] = x[t] + P[t]} with {@code P} of shape {@code [maxLength, F]} (Glorot uniform);
 * the input's T must not exceed {@code maxLength}. Padded steps output zero and {@code P} gets
 * gradient from real steps only: {@code dP[t] += Σ_samples dy[t]}, {@code dx = dy}.
 *
 * @param maxLength longest sequence the table covers
 */
public record PositionalEmbedding(int maxLength) implements Layer {

  public PositionalEmbedding {
    if (maxLength <= 0) {
      throw new IllegalArgumentException("PositionalEmbedding maxLength must be positive, got " + maxLength);
    }
  }

  @JsonCreator
  static PositionalEmbedding fromJson(@JsonProperty("maxLength") int maxLength) {
    return new PositionalEmbedding(maxLength);
  }

  @Override
  public Shape outputShape(Shape input) {
    SequenceMask.requireSequence(input, "PositionalEmbedding");
    if (input.dim(0) > maxLength) {
      throw new IllegalArgumentException("PositionalEmbedding covers " + maxLength + " steps, the input has "
          + input.dim(0));
    }
    return input;
  }

  @Override
  public List<TensorSpec> params(Shape input) {
    int f = input.dim(1);
    return List.of(TensorSpec.trainable("embeddings", Shape.of(maxLength, f), Initializer.GLOROT_UNIFORM,
        maxLength, f));
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    outputShape(input);
    return new Model(input.dim(0), input.dim(1), layout.offset(index, "embeddings"));
  }

  @Override
  public String kind() {
    return "positional_embedding";
  }

  /** y = x + P[0..T) on real steps, 0 on padded ones. */
  private static final class Model implements LayerModel {
    private final int steps;
    private final int features;
    private final int table;

    Model(int steps, int features, int table) {
      this.steps = steps;
      this.features = features;
      this.table = table;
    }

    @Override
    public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
      int[] lengths = pass.lengths();
      for (int r = 0; r < batch; r++) {
        int len = SequenceMask.length(lengths, r, steps);
        int o = r * steps * features;
        int real = len * features;
        for (int i = 0; i < real; i++) {
          y[o + i] = x[o + i] + params[table + i];
        }
        java.util.Arrays.fill(y, o + real, o + steps * features, 0f);
      }
    }

    @Override
    public void backward(Backward b) {
      float[] dy = b.outputGrad();
      float[] dx = b.inputGrad();
      float[] grads = b.paramGrads();
      int[] lengths = b.pass().lengths();
      for (int r = 0; r < b.batch(); r++) {
        int len = SequenceMask.length(lengths, r, steps);
        int o = r * steps * features;
        int real = len * features;
        for (int i = 0; i < real; i++) {
          grads[table + i] += dy[o + i];
        }
        if (dx != null) {
          System.arraycopy(dy, o, dx, o, real);
          java.util.Arrays.fill(dx, o + real, o + steps * features, 0f);
        }
      }
    }
  }
}
