package io.sparkprop.core.model;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.LossSums;

/**
 * A trained (or initialised) model: its architecture, the loss it was trained for (which also
 * turns raw outputs into predictions: softmax probabilities for a classifier) and its flat
 * parameter vector. This is what is saved, loaded and used to predict.
 */
public final class Model {
  private static final int PREDICT_BATCH = 512;
  private final Sequential architecture;
  private final Loss loss;
  private final float[] params;
  private Network network;

  /** A model with the given parameters (not copied). */
  public Model(Sequential architecture, Loss loss, float[] params) {
    int expected = architecture.paramCount();
    if (params.length != expected) {
      throw new IllegalArgumentException("the architecture needs " + expected + " parameters, got " + params.length);
    }
    this.architecture = architecture;
    this.loss = loss;
    this.params = params;
  }

  /** A freshly initialised model (seeded). */
  public static Model init(Sequential architecture, Loss loss, long seed) {
    return new Model(architecture, loss, architecture.initialParams(seed));
  }

  public Sequential architecture() {
    return architecture;
  }

  public Loss loss() {
    return loss;
  }

  /** The flat parameter vector (live: training updates it in place). */
  public float[] params() {
    return params;
  }

  /** An independent copy. */
  public Model copy() {
    return new Model(architecture, loss, params.clone());
  }

  /** Floats per output row. */
  public int outputSize() {
    return architecture.outputShape().size();
  }

  /**
   * Predictions for {@code n} samples in {@code x[n, inputSize]}: probabilities for classifiers,
   * values for regression, as {@code [n, outputSize]}.
   */
  public float[] predict(float[] x, int n) {
    float[] out = predictRaw(x, n);
    loss.activateInPlace(out, n, outputSize());
    return out;
  }

  /**
   * Raw network outputs (logits for classifiers) for {@code n} samples, through the row-stable
   * inference kernel ({@link Network#predict}): a row's outputs are the same bits alone or among
   * others, in any chunk.
   */
  public synchronized float[] predictRaw(float[] x, int n) {
    int in = architecture.inputShape().size();
    if (x.length < (long) n * in) {
      throw new IllegalArgumentException("predict needs " + n + " x " + in + " features, got " + x.length + " floats");
    }
    if (network == null) {
      network = architecture.network();
    }
    int w = outputSize();
    float[] out = new float[n * w];
    float[] chunk = new float[Math.min(n, PREDICT_BATCH) * in];
    for (int from = 0; from < n; from += PREDICT_BATCH) {
      int b = Math.min(PREDICT_BATCH, n - from);
      System.arraycopy(x, from * in, chunk, 0, b * in);
      float[] y = network.predict(params, chunk, null, null, b);
      System.arraycopy(y, 0, out, from * w, b * w);
    }
    return out;
  }

  /**
   * Raw outputs of the samples of {@code data}: floats, or token ids and lengths, which reach
   * the layers as ints (see {@link io.sparkprop.core.layer.Pass#ids()}).
   */
  public synchronized float[] predictRaw(DataSet data) {
    if (!data.isTokens() && data.lengths() == null) {
      return predictRaw(data.features(), data.size());
    }
    if (network == null) {
      network = architecture.network();
    }
    int n = data.size();
    int t = data.featureSize();
    int w = outputSize();
    float[] out = new float[n * w];
    float[] chunk = new float[data.isTokens() ? 0 : Math.min(n, PREDICT_BATCH) * t];
    int[] ids = data.isTokens() ? new int[Math.min(n, PREDICT_BATCH) * t] : null;
    int[] lens = data.lengths() == null ? null : new int[Math.min(n, PREDICT_BATCH)];
    for (int from = 0; from < n; from += PREDICT_BATCH) {
      int b = Math.min(PREDICT_BATCH, n - from);
      if (ids != null) {
        System.arraycopy(data.tokens(), from * t, ids, 0, b * t);
      } else {
        System.arraycopy(data.features(), from * t, chunk, 0, b * t);
      }
      if (lens != null) {
        System.arraycopy(data.lengths(), from, lens, 0, b);
      }
      float[] y = network.predict(params, chunk, ids, lens, b);
      System.arraycopy(y, 0, out, from * w, b * w);
    }
    return out;
  }

  /** Predictions (probabilities or values) for the samples of {@code data}, {@code [n, outputSize]}. */
  public float[] predict(DataSet data) {
    float[] out = predictRaw(data);
    loss.activateInPlace(out, data.size(), outputSize());
    return out;
  }

  /** The predicted class of each sample of {@code data}. */
  public int[] predictClasses(DataSet data) {
    return classes(predictRaw(data), data.size());
  }

  /** The predicted class of each of {@code n} samples (argmax of the outputs). */
  public int[] predictClasses(float[] x, int n) {
    return classes(predictRaw(x, n), n);
  }

  private int[] classes(float[] out, int n) {
    int w = outputSize();
    int[] c = new int[n];
    for (int i = 0; i < n; i++) {
      c[i] = w == 1 ? (out[i] > 0 ? 1 : 0) : io.sparkprop.core.loss.SoftmaxCrossEntropy.argmax(out, i * w, w);
    }
    return c;
  }

  /** Loss and accuracy sums over a data set. */
  public LossSums evaluate(DataSet data) {
    data.checkFits(architecture, loss, "evaluation data");
    float[] out = predictRaw(data);
    int w = outputSize();
    double l = loss.lossAndGradient(out, data.labels(), data.size(), w, data.labelWidth(), null);
    long c = loss.countCorrect(out, data.labels(), data.size(), w, data.labelWidth());
    return new LossSums(l, data.size(), c);
  }

  /**
   * The metrics of this model on {@code data} (accuracy, top-k, log-loss, precision, recall, F1,
   * AUCs; or MSE, RMSE, MAE, R²), see {@link io.sparkprop.core.metrics.MetricSums}; null for
   * multi-label sigmoid outputs.
   */
  public io.sparkprop.core.metrics.MetricSums metrics(DataSet data, io.sparkprop.core.metrics.MetricOptions options) {
    data.checkFits(architecture, loss, "evaluation data");
    io.sparkprop.core.metrics.MetricSums m = io.sparkprop.core.metrics.MetricSums.forLoss(loss, outputSize(), options);
    if (m != null) {
      m.add(predictRaw(data.features(), data.size()), data.labels(), data.size(), outputSize(), data.labelWidth());
    }
    return m;
  }
}
