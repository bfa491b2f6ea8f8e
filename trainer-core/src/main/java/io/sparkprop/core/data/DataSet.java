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
 */
public final class DataSet implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Shape sampleShape;
  private final int labelWidth;
  private final int size;
  private final float[] features;
  private final float[] labels;
  private final int[] tokens;
  private final int[] lengths;

  public DataSet(Shape sampleShape, int labelWidth, int size, float[] features, float[] labels) {
    this(sampleShape, labelWidth, size, features, labels, null, null);
  }

  /**
   * Float samples of sequences {@code (T, F)} with the real length of each ({@code lengths[r]}
   * in {@code [1, T]}); null lengths: every step is real.
   */
  public static DataSet ofSequences(Shape sampleShape, int labelWidth, int size, float[] features, float[] labels,
                                    int[] lengths) {
    return new DataSet(sampleShape, labelWidth, size, features, labels, null, lengths);
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
    return new DataSet(Shape.of(seqLength), labelWidth, size, new float[0], labels, tokens, l);
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
                  int[] lengths) {
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
  public boolean isTokens() {
    return tokens != null;
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
    float[] x = tokens != null ? features : java.util.Arrays.copyOfRange(features, from * f, to * f);
    float[] y = java.util.Arrays.copyOfRange(labels, from * labelWidth, to * labelWidth);
    int[] ids = tokens == null ? null : java.util.Arrays.copyOfRange(tokens, from * f, to * f);
    int[] l = lengths == null ? null : java.util.Arrays.copyOfRange(lengths, from, to);
    return new DataSet(sampleShape, labelWidth, to - from, x, y, ids, l);
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
    }
    return new DataSet(sampleShape, labelWidth, to - from, x, y, ids, l);
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
    if (tokens != null) {
      checkTokens(architecture, source);
    }
    for (int r = 0; r < size; r++) {
      int o = r * in;
      for (int j = 0; j < in && tokens == null; j++) {
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

  /** Token data needs an Embedding first and ids inside its vocabulary. */
  private void checkTokens(Sequential architecture, String source) {
    if (!(architecture.layers().get(0) instanceof Embedding e)) {
      throw new DataException(source + ": the samples are token ids but the model's first layer is "
          + architecture.layers().get(0).kind() + ", not an embedding");
    }
    int t = featureSize();
    for (int i = 0; i < size * t; i++) {
      if (tokens[i] < 0 || tokens[i] >= e.inputDim()) {
        throw new DataException(source + ", row " + i / t + ": token id " + tokens[i] + " at position " + i % t
            + " is outside the embedding's vocabulary [0, " + e.inputDim() + ")");
      }
    }
  }
}
