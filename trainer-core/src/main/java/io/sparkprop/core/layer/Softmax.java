package io.sparkprop.core.layer;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/**
 * Row-wise softmax {@code y_j = e^{x_j − max} / Σ_k e^{x_k − max}} as a layer. For training a
 * classifier, prefer no softmax layer and the fused
 * {@link io.sparkprop.core.loss.SoftmaxCrossEntropy} loss (stable, and predictions still come out
 * as probabilities).
 */
public record Softmax() implements Layer {

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new SoftmaxModel(input.size());
  }

  @Override
  public String kind() {
    return "softmax";
  }

  /** dx = y ⊙ (dy − Σ_j dy_j·y_j), per row. */
  static final class SoftmaxModel implements LayerModel {
    private final int width;

    SoftmaxModel(int width) {
      this.width = width;
    }

    @Override
    public void forward(float[] params, float[] in, float[] out, int batch, Pass pass) {
      for (int r = 0; r < batch; r++) {
        softmaxRow(in, out, r * width, width);
      }
    }

    @Override
    public void backward(Backward b) {
      float[] out = b.output();
      float[] dOut = b.outputGrad();
      float[] dIn = b.inputGrad();
      int batch = b.batch();
      if (dIn == null) {
        return;
      }
      for (int r = 0; r < batch; r++) {
        int o = r * width;
        double dot = 0;
        for (int j = 0; j < width; j++) {
          dot += dOut[o + j] * out[o + j];
        }
        for (int j = 0; j < width; j++) {
          dIn[o + j] = (float) (out[o + j] * (dOut[o + j] - dot));
        }
      }
    }
  }

  /** out[o, o+w) = softmax(in[o, o+w)), computed stably in double. */
  public static void softmaxRow(float[] in, float[] out, int o, int w) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < w; j++) {
      max = Math.max(max, in[o + j]);
    }
    double sum = 0;
    for (int j = 0; j < w; j++) {
      sum += Math.exp(in[o + j] - max);
    }
    for (int j = 0; j < w; j++) {
      out[o + j] = (float) (Math.exp(in[o + j] - max) / sum);
    }
  }
}
