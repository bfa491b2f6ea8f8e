package io.sparkprop.core.loss;

/**
 * Binary cross-entropy on logits, per output {@code max(z, 0) − z·y + log(1 + e^{−|z|})} (stable
 * for any z), per sample the mean over outputs; gradient {@code (σ(z) − y)/width}. Targets are
 * 0/1 (or probabilities), one per output. A sample counts as correct when every output is on the
 * right side of 0.5.
 */
public record SigmoidBinaryCrossEntropy() implements Loss {

  @Override
  public double lossAndGradient(float[] z, float[] y, int batch, int width, int labelWidth,
                                float[] grad) {
    double sum = 0;
    double inv = 1.0 / width;
    int n = batch * width;
    for (int i = 0; i < n; i++) {
      double v = z[i];
      double t = y[i];
      sum += Math.max(v, 0) - v * t + Math.log1p(Math.exp(-Math.abs(v)));
      if (grad != null) {
        grad[i] = (float) ((sigmoid(v) - t) * inv);
      }
    }
    return sum * inv;
  }

  private static double sigmoid(double v) {
    if (v >= 0) {
      return 1.0 / (1.0 + Math.exp(-v));
    }
    double e = Math.exp(v);
    return e / (1.0 + e);
  }

  @Override
  public long countCorrect(float[] z, float[] y, int batch, int width, int labelWidth) {
    long correct = 0;
    for (int r = 0; r < batch; r++) {
      boolean all = true;
      for (int j = 0; j < width; j++) {
        int i = r * width + j;
        all &= (z[i] > 0) == (y[i] > 0.5f);
      }
      correct += all ? 1 : 0;
    }
    return correct;
  }

  @Override
  public boolean isClassification() {
    return true;
  }

  @Override
  public String checkLabelWidth(int labelWidth, int width) {
    return labelWidth == width ? null
        : "binary targets need " + width + " values per row (one per output), got " + labelWidth;
  }

  @Override
  public String checkLabel(float[] labels, int offset, int labelWidth, int width) {
    for (int j = 0; j < labelWidth; j++) {
      float t = labels[offset + j];
      if (!(t >= 0 && t <= 1)) {
        return "binary target " + t + " at index " + j + " is outside [0, 1]";
      }
    }
    return null;
  }

  @Override
  public void activateInPlace(float[] output, int batch, int width) {
    for (int i = 0; i < batch * width; i++) {
      output[i] = (float) sigmoid(output[i]);
    }
  }
}
