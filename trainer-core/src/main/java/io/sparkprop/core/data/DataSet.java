package io.sparkprop.core.data;

import io.sparkprop.core.layer.Embedding;
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
 * <p>Token data ({@link #ofTokens}) holds int ids {@code tokens[size, T]} instead of features
 * (which are then empty), so ids above 2^24 survive; the model's first layer must be an
 * {@link io.sparkprop.core.layer.Embedding}. Sequence data of either kind may carry
 * {@link #lengths()}: the real steps of each sample, the rest being padding.
 *
 * <p>Optionally a weight per sample ({@link #withWeights}, {@link #withClassWeights}): the
 * single-JVM trainer multiplies each sample's loss and gradient by it and divides by the total
 * weight, so a sample of weight 2 trains exactly as that sample twice. Evaluation is unweighted.
 */
public final class DataSet implements SampleStore, Serializable {
  private static final long serialVersionUID = 1L;
  private final Shape sampleShape;
  private final int labelWidth;
  private final int size;
  private final float[] features;
  private final float[] labels;
  private final int[] tokens;
  private final int[] lengths;
  private final float[] weights;

  public DataSet(Shape sampleShape, int labelWidth, int size, float[] features, float[] labels) {
    this(sampleShape, labelWidth, size, features, labels, null, null, null);
  }

  /** With a weight per sample ({@code weights[size]}, finite and >= 0; null = all 1). */
  public DataSet(Shape sampleShape, int labelWidth, int size, float[] features, float[] labels, float[] weights) {
    this(sampleShape, labelWidth, size, features, labels, null, null, weights);
  }

  /**
   * Float samples of sequences {@code (T, F)} with the real length of each ({@code lengths[r]}
   * in {@code [1, T]}); null lengths: every step is real.
   */
  public static DataSet ofSequences(Shape sampleShape, int labelWidth, int size, float[] features, float[] labels,
                                    int[] lengths) {
    return new DataSet(sampleShape, labelWidth, size, features, labels, null, lengths, null);
  }

  /**
   * Token samples: {@code tokens[size, T]} int ids (0 = padding) for a model whose input shape
   * is {@code (T)}. Null {@code lengths} are derived: a sample's length is one past its last
   * non-zero id (at least 1), so trailing zeros are padding.
   */
  public static DataSet ofTokens(int seqLength, int labelWidth, int size, int[] tokens, float[] labels,
                                 int[] lengths) {
    if (tokens.length < (long) size * seqLength) {
      throw new IllegalArgumentException(size + " token samples of length " + seqLength + " need "
          + (long) size * seqLength + " ids, got " + tokens.length);
    }
    int[] l = lengths != null ? lengths : lengthsOf(tokens, size, seqLength);
    return new DataSet(Shape.of(seqLength), labelWidth, size, new float[0], labels, tokens, l, null);
  }

  /** One past the last non-zero id of each of {@code n} rows of {@code ids[n, t]}, at least 1. */
  public static int[] lengthsOf(int[] ids, int n, int t) {
    int[] l = new int[n];
    for (int r = 0; r < n; r++) {
      int len = t;
      while (len > 1 && ids[r * t + len - 1] == 0) {
        len--;
      }
      l[r] = len;
    }
    return l;
  }

  private DataSet(Shape sampleShape, int labelWidth, int size, float[] features, float[] labels, int[] tokens,
                  int[] lengths, float[] weights) {
    if (size < 0 || labelWidth <= 0) {
      throw new IllegalArgumentException("bad data set size " + size + " or label width " + labelWidth);
    }
    if ((tokens == null && features.length < (long) size * sampleShape.size()) || labels.length < (long) size * labelWidth) {
      throw new IllegalArgumentException("data set of " + size + " samples of " + sampleShape
          + " needs " + (long) size * sampleShape.size() + " features and " + (long) size * labelWidth
          + " labels, got " + features.length + " and " + labels.length);
    }
    this.sampleShape = sampleShape;
    this.labelWidth = labelWidth;
    this.size = size;
    this.features = features;
    this.labels = labels;
    this.tokens = tokens;
    if (lengths != null) {
      int t = sampleShape.dim(0);
      if (lengths.length < size) {
        throw new IllegalArgumentException(size + " samples need " + size + " lengths, got " + lengths.length);
      }
      for (int r = 0; r < size; r++) {
        if (lengths[r] < 1 || lengths[r] > t) {
          throw new DataException("row " + r + ": sequence length " + lengths[r] + " is outside [1, " + t + "]");
        }
      }
    }
    this.lengths = lengths;
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
    return new DataSet(sampleShape, labelWidth, size, features, labels, tokens, lengths, w);
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

  @Override
  public int labelWidth() {
    return labelWidth;
  }

  /** Number of samples. */
  @Override
  public int size() {
    return size;
  }

  /** The float features (empty for token data). */
  public float[] features() {
    return features;
  }

  /** The token ids {@code [size, T]}, or null when the samples are floats. */
  public int[] tokens() {
    return tokens;
  }

  /** The real length of each sample's sequence, or null when every step is real. */
  public int[] lengths() {
    return lengths;
  }

  /** True when the samples are token ids. */
  @Override
  public boolean isTokens() {
    return tokens != null;
  }

  @Override
  public boolean hasLengths() {
    return lengths != null;
  }

  @Override
  public boolean isWeighted() {
    return weights != null;
  }

  @Override
  public void copySample(int row, int slot, float[] x, int[] ids, int[] l, float[] y, float[] w) {
    int f = featureSize();
    if (tokens != null) {
      System.arraycopy(tokens, row * f, ids, slot * f, f);
    } else {
      System.arraycopy(features, row * f, x, slot * f, f);
    }
    if (lengths != null) {
      l[slot] = lengths[row];
    }
    System.arraycopy(labels, row * labelWidth, y, slot * labelWidth, labelWidth);
    if (weights != null) {
      w[slot] = weights[row];
    }
  }

  public float[] labels() {
    return labels;
  }

  /** Floats per sample. */
  @Override
  public int featureSize() {
    return sampleShape.size();
  }

  /** Samples {@code [from, to)} as a new data set (copied). */
  public DataSet slice(int from, int to) {
    int f = featureSize();
    float[] x = tokens != null ? features : java.util.Arrays.copyOfRange(features, from * f, to * f);
    float[] y = java.util.Arrays.copyOfRange(labels, from * labelWidth, to * labelWidth);
    int[] ids = tokens == null ? null : java.util.Arrays.copyOfRange(tokens, from * f, to * f);
    int[] l = lengths == null ? null : java.util.Arrays.copyOfRange(lengths, from, to);
    float[] w = weights == null ? null : java.util.Arrays.copyOfRange(weights, from, to);
    return new DataSet(sampleShape, labelWidth, to - from, x, y, ids, l, w);
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
    float[] x = tokens != null ? features : new float[(to - from) * f];
    float[] y = new float[(to - from) * labelWidth];
    int[] ids = tokens == null ? null : new int[(to - from) * f];
    int[] l = lengths == null ? null : new int[to - from];
    float[] w = weights == null ? null : new float[to - from];
    for (int i = from; i < to; i++) {
      if (tokens == null) {
        System.arraycopy(features, perm[i] * f, x, (i - from) * f, f);
      } else {
        System.arraycopy(tokens, perm[i] * f, ids, (i - from) * f, f);
      }
      if (l != null) {
        l[i - from] = lengths[perm[i]];
      }
      System.arraycopy(labels, perm[i] * labelWidth, y, (i - from) * labelWidth, labelWidth);
      if (w != null) {
        w[i - from] = weights[perm[i]];
      }
    }
    return new DataSet(sampleShape, labelWidth, to - from, x, y, ids, l, w);
  }

  /**
   * Checks that this data fits the model before any training: feature size, finite values,
   * labels in range. The message names {@code source} (a file, "partition 3") and the row.
   *
   * @throws DataException on the first problem found
   */
  public void checkFits(Sequential architecture, Loss loss, String source) {
    checkFits(architecture, loss, source, 0);
  }

  /**
   * As {@link #checkFits(Sequential, Loss, String)} for a block whose row 0 is row
   * {@code firstRow} of {@code source}, so messages give the row number in the source.
   */
  public void checkFits(Sequential architecture, Loss loss, String source, long firstRow) {
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
    if (tokens != null) {
      checkTokens(architecture, source, firstRow);
    }
    for (int r = 0; r < size; r++) {
      int o = r * in;
      for (int j = 0; j < in && tokens == null; j++) {
        if (!Float.isFinite(features[o + j])) {
          throw new DataException(source + ", row " + (firstRow + r) + ": feature " + j + " is " + features[o + j]
              + " (features must be finite numbers)");
        }
      }
      String p = loss.checkLabel(labels, r * labelWidth, labelWidth, out);
      if (p != null) {
        throw new DataException(source + ", row " + (firstRow + r) + ": " + p);
      }
    }
  }

  /** Token data needs an Embedding first and ids inside its vocabulary. */
  private void checkTokens(Sequential architecture, String source, long firstRow) {
    if (!(architecture.layers().get(0) instanceof Embedding e)) {
      throw new DataException(source + ": the samples are token ids but the model's first layer is "
          + architecture.layers().get(0).kind() + ", not an embedding");
    }
    int t = featureSize();
    for (int i = 0; i < size * t; i++) {
      if (tokens[i] < 0 || tokens[i] >= e.inputDim()) {
        throw new DataException(source + ", row " + (firstRow + i / t) + ": token id " + tokens[i] + " at position " + i % t
            + " is outside the embedding's vocabulary [0, " + e.inputDim() + ")");
      }
    }
  }
}
