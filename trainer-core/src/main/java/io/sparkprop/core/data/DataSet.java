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
 *
 * <p>Optionally a weight per sample ({@link #withWeights}, {@link #withClassWeights}): the
 * single-JVM trainer multiplies each sample's loss and gradient by it and divides by the total
 * weight, so a sample of weight 2 trains exactly as that sample twice. Evaluation is unweighted.
 */
public final class DataSet implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Shape sampleShape;
  private final int labelWidth;
  private final int size;
  private final float[] features;
  private final float[] labels;
  private final float[] weights;

  public DataSet(Shape sampleShape, int labelWidth, int size, float[] features, float[] labels) {
    this(sampleShape, labelWidth, size, features, labels, null);
  }

  /** With a weight per sample ({@code weights[size]}, finite and >= 0; null = all 1). */
  public DataSet(Shape sampleShape, int labelWidth, int size, float[] features, float[] labels, float[] weights) {
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
    if (weights != null) {
      if (weights.length < size) {
        throw new IllegalArgumentException("data set of " + size + " samples needs " + size + " weights, got "
            + weights.length);
      }
      for (int r = 0; r < size; r++) {
        if (!(weights[r] >= 0) || Float.isInfinite(weights[r])) {
          throw new DataException("row " + r + ": sample weight " + weights[r]
              + " (weights must be finite and >= 0)");
        }
      }
    }
    this.weights = weights;
  }

  /** The weight of each sample, or null when every sample weighs 1. */
  public float[] weights() {
    return weights;
  }

  /** These samples with the given weights (not copied; null = all 1). */
  public DataSet withWeights(float[] w) {
    return new DataSet(sampleShape, labelWidth, size, features, labels, w);
  }

  /**
   * These samples weighted by class: sample {@code r} gets {@code classWeights[class of r]} (its
   * class index, the argmax of a one-hot row, or a 0/1 binary target).
   */
  public DataSet withClassWeights(double[] classWeights) {
    float[] w = new float[size];
    for (int r = 0; r < size; r++) {
      int c = classOf(r);
      if (c < 0 || c >= classWeights.length) {
        throw new DataException("row " + r + ": class " + c + " has no class weight (" + classWeights.length
            + " given)");
      }
      w[r] = (float) classWeights[c];
    }
    return withWeights(w);
  }

  /**
   * scikit-learn's {@code class_weight="balanced"}: {@code n / (classes · n_c)} for a class of
   * {@code n_c} samples (0 for a class without samples), so every class weighs the same in total.
   */
  public double[] balancedClassWeights(int classes) {
    long[] counts = new long[classes];
    for (int r = 0; r < size; r++) {
      int c = classOf(r);
      if (c < 0 || c >= classes) {
        throw new DataException("row " + r + ": class " + c + " is outside [0, " + classes + ")");
      }
      counts[c]++;
    }
    double[] w = new double[classes];
    for (int c = 0; c < classes; c++) {
      w[c] = counts[c] == 0 ? 0 : (double) size / ((double) classes * counts[c]);
    }
    return w;
  }

  private int classOf(int r) {
    if (labelWidth == 1) {
      return (int) labels[r];
    }
    return io.sparkprop.core.loss.SoftmaxCrossEntropy.argmax(labels, r * labelWidth, labelWidth);
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
    float[] w = weights == null ? null : java.util.Arrays.copyOfRange(weights, from, to);
    return new DataSet(sampleShape, labelWidth, to - from, x, y, w);
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
    float[] w = weights == null ? null : new float[to - from];
    for (int i = from; i < to; i++) {
      System.arraycopy(features, perm[i] * f, x, (i - from) * f, f);
      System.arraycopy(labels, perm[i] * labelWidth, y, (i - from) * labelWidth, labelWidth);
      if (w != null) {
        w[i - from] = weights[perm[i]];
      }
    }
    return new DataSet(sampleShape, labelWidth, to - from, x, y, w);
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
