package io.sparkprop.core.data;

import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import java.io.Serializable;

/**
 * Samples as two dense row-major float blocks: {@code features[size, sampleShape.size()]} and
 * {@code labels[size, labelWidth]} (a class index stored as a float, or one-hot/regression
 * targets). Arrays are not copied. Also the in-memory block of one Spark partition.
 */
public final class DataSet implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Shape sampleShape;
  private final int labelWidth;
  private final int size;
  private final float[] features;
  private final float[] labels;

  public DataSet(Shape sampleShape, int labelWidth, int size, float[] features, float[] labels) {
    if (size < 0 || labelWidth <= 0) {
      throw new IllegalArgumentException("bad data set size " + size + " or label width " + labelWidth);
    }
    if (features.length < (long) size * sampleShape.size() || labels.length < (long) size * labelWidth) {
      throw new IllegalArgumentException("data set of " + size + " samples of " + sampleShape
          + " needs " + (long) size * sampleShape.size() + " features and " + (long) size * labelWidth
          + " labels, got " + features.length + " and " + labels.length);
    }
    this.sampleShape = sampleShape;
    this.labelWidth = labelWidth;
    this.size = size;
    this.features = features;
    this.labels = labels;
  }

  public Shape sampleShape() {
    return sampleShape;
  }

  public int labelWidth() {
    return labelWidth;
  }

  /** Number of samples. */
  public int size() {
    return size;
  }

  public float[] features() {
    return features;
  }

  public float[] labels() {
    return labels;
  }

  /** Floats per sample. */
  public int featureSize() {
    return sampleShape.size();
  }

  /** Samples {@code [from, to)} as a new data set (copied). */
  public DataSet slice(int from, int to) {
    int f = featureSize();
    float[] x = java.util.Arrays.copyOfRange(features, from * f, to * f);
    float[] y = java.util.Arrays.copyOfRange(labels, from * labelWidth, to * labelWidth);
    return new DataSet(sampleShape, labelWidth, to - from, x, y);
  }

  /** A seeded random split: {@code [0]} holds about {@code 1 − fraction}, {@code [1]} the rest. */
  public DataSet[] randomSplit(double fraction, long seed) {
    int[] perm = new int[size];
    Shuffle.permutation(perm, size, new Rng(Rng.mix(seed, 0x5b117)));
    int second = (int) Math.round(size * fraction);
    return new DataSet[] {gather(perm, 0, size - second), gather(perm, size - second, size)};
  }

  /** The samples {@code perm[from, to)} as a new data set. */
  public DataSet gather(int[] perm, int from, int to) {
    int f = featureSize();
    float[] x = new float[(to - from) * f];
    float[] y = new float[(to - from) * labelWidth];
    for (int i = from; i < to; i++) {
      System.arraycopy(features, perm[i] * f, x, (i - from) * f, f);
      System.arraycopy(labels, perm[i] * labelWidth, y, (i - from) * labelWidth, labelWidth);
    }
    return new DataSet(sampleShape, labelWidth, to - from, x, y);
  }

  /**
   * Checks that this data fits the model before any training: feature size, finite values,
   * labels in range. The message names {@code source} (a file, "partition 3") and the row.
   *
   * @throws DataException on the first problem found
   */
  public void checkFits(Sequential architecture, Loss loss, String source) {
    int in = architecture.inputShape().size();
    int out = architecture.outputShape().size();
    if (featureSize() != in) {
      throw new DataException(source + ": samples have " + featureSize() + " features " + sampleShape
          + " but the model's input is " + architecture.inputShape() + " (" + in + " features)");
    }
    String widthProblem = loss.checkLabelWidth(labelWidth, out);
    if (widthProblem != null) {
      throw new DataException(source + ": " + widthProblem);
    }
    for (int r = 0; r < size; r++) {
      int o = r * in;
      for (int j = 0; j < in; j++) {
        if (!Float.isFinite(features[o + j])) {
          throw new DataException(source + ", row " + r + ": feature " + j + " is " + features[o + j]
              + " (features must be finite numbers)");
        }
      }
      String p = loss.checkLabel(labels, r * labelWidth, labelWidth, out);
      if (p != null) {
        throw new DataException(source + ", row " + r + ": " + p);
      }
    }
  }
}
