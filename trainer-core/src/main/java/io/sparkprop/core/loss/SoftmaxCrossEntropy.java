package io.sparkprop.core.loss;

import io.sparkprop.core.layer.Softmax;

/**
 * Softmax cross-entropy on logits, fused for stability: per sample
 * {@code −Σ_j y_j (z_j − lse(z))} with
 * {@code lse(z) = max + log Σ e^{z−max}}; gradient {@code softmax(z)·Σ_j y_j − y}. Labels are
 * either one integer class per row (label width 1) or a one-hot/probability row (width = classes).
 */
public record SoftmaxCrossEntropy() implements Loss {

  @Override
  public double lossAndGradient(float[] z, float[] labels, int batch, int width, int labelWidth,
                                float[] grad) {
    double total = 0;
    for (int r = 0; r < batch; r++) {
      int o = r * width;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < width; j++) {
        max = Math.max(max, z[o + j]);
      }
      double sum = 0;
      for (int j = 0; j < width; j++) {
        sum += Math.exp(z[o + j] - max);
      }
      double lse = max + Math.log(sum);
      if (labelWidth == 1) {
        int c = (int) labels[r];
        total += lse - z[o + c];
        if (grad != null) {
          for (int j = 0; j < width; j++) {
            grad[o + j] = (float) Math.exp(z[o + j] - lse);
          }
          grad[o + c] -= 1f;
        }
      } else {
        int lo = r * labelWidth;
        double mass = 0;
        for (int j = 0; j < width; j++) {
          double y = labels[lo + j];
          mass += y;
          total -= y * (z[o + j] - lse);
        }
        if (grad != null) {
          for (int j = 0; j < width; j++) {
            grad[o + j] = (float) (Math.exp(z[o + j] - lse) * mass - labels[lo + j]);
          }
        }
      }
    }
    return total;
  }

  @Override
  public long countCorrect(float[] z, float[] labels, int batch, int width, int labelWidth) {
    long correct = 0;
    for (int r = 0; r < batch; r++) {
      int predicted = argmax(z, r * width, width);
      int actual = labelWidth == 1 ? (int) labels[r] : argmax(labels, r * labelWidth, labelWidth);
      correct += predicted == actual ? 1 : 0;
    }
    return correct;
  }

  /** Index of the largest of {@code a[off, off+n)} (first on ties). */
  public static int argmax(float[] a, int off, int n) {
    int best = 0;
    for (int j = 1; j < n; j++) {
      if (a[off + j] > a[off + best]) {
        best = j;
      }
    }
    return best;
  }

  @Override
  public boolean isClassification() {
    return true;
  }

  @Override
  public String checkLabelWidth(int labelWidth, int width) {
    return labelWidth == 1 || labelWidth == width ? null
        : "classification labels need 1 class index or " + width + " one-hot values per row, got " + labelWidth;
  }

  @Override
  public String checkLabel(float[] labels, int offset, int labelWidth, int width) {
    if (labelWidth == 1) {
      float c = labels[offset];
      if (!(c >= 0 && c < width) || c != Math.rint(c)) {
        return "label " + c + " is not an integer class in [0, " + width + ")";
      }
      return null;
    }
    for (int j = 0; j < labelWidth; j++) {
      float y = labels[offset + j];
      if (!(y >= 0 && y <= 1)) {
        return "one-hot label value " + y + " at index " + j + " is outside [0, 1]";
      }
    }
    return null;
  }

  @Override
  public void activateInPlace(float[] output, int batch, int width) {
    for (int r = 0; r < batch; r++) {
      Softmax.softmaxRow(output, output, r * width, width);
    }
  }
}
