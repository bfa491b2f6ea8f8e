package io.sparkprop.core.loss;

/**
 * An element-wise regression loss: per-sample loss = mean over the outputs of {@code ℓ(o − y)},
 * gradient {@code ℓ'(o − y)/width}. Implementations give ℓ and ℓ'.
 */
public interface RegressionLoss extends Loss {

  /** ℓ(d) for one residual d = o − y. */
  double value(double d);

  /** ℓ'(d). */
  double slope(double d);

  @Override
  default double lossAndGradient(float[] output, float[] labels, int batch, int width,
                                 int labelWidth, float[] grad) {
    double sum = 0;
    double inv = 1.0 / width;
    int n = batch * width;
    for (int i = 0; i < n; i++) {
      double d = (double) output[i] - labels[i];
      sum += value(d);
      if (grad != null) {
        grad[i] = (float) (slope(d) * inv);
      }
    }
    return sum * inv;
  }

  @Override
  default long countCorrect(float[] output, float[] labels, int batch, int width, int labelWidth) {
    return 0;
  }

  @Override
  default boolean isClassification() {
    return false;
  }

  @Override
  default String checkLabelWidth(int labelWidth, int width) {
    return labelWidth == width ? null
        : "regression targets need " + width + " values per row (one per output), got " + labelWidth;
  }

  @Override
  default String checkLabel(float[] labels, int offset, int labelWidth, int width) {
    for (int j = 0; j < labelWidth; j++) {
      if (!Float.isFinite(labels[offset + j])) {
        return "target " + labels[offset + j] + " is not a finite number";
      }
    }
    return null;
  }

  @Override
  default void activateInPlace(float[] output, int batch, int width) {
    // regression outputs are the predictions
  }
}
