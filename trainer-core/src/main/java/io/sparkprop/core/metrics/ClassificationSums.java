package io.sparkprop.core.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sums for classification metrics over {@code classes} classes: the confusion matrix, top-k
 * hits, the summed log-loss and, for two classes, histograms of the log-odds of the positive
 * class for positive and negative samples.
 *
 * <p>Outputs are the network's raw outputs: {@code classes} logits for a softmax, or one logit
 * for a sigmoid (then the label is 0 or 1, the prediction is 1 when the logit is positive). The
 * log-loss is computed from log-softmax (resp. softplus), not from rounded probabilities, so it
 * needs no clipping. For a softmax, labels are class indices (width 1) or one-hot rows.
 */
public final class ClassificationSums implements MetricSums {
  private static final long serialVersionUID = 1L;
  private final int classes;
  private final MetricOptions options;
  /** [actual * classes + predicted]. */
  private final long[] confusion;
  private final long[] positives;
  private final long[] negatives;
  private long topKHits;
  private double logLossSum;

  public ClassificationSums(int classes, MetricOptions options) {
    if (classes < 2) {
      throw new IllegalArgumentException("classification metrics need >= 2 classes, got " + classes);
    }
    this.classes = classes;
    this.options = options;
    this.confusion = new long[classes * classes];
    this.positives = classes == 2 ? new long[options.aucBins()] : null;
    this.negatives = classes == 2 ? new long[options.aucBins()] : null;
  }

  @Override
  public void add(float[] output, float[] labels, int batch, int width, int labelWidth) {
    if (width == 1) {
      addSigmoid(output, labels, batch, labelWidth);
      return;
    }
    if (width != classes) {
      throw new IllegalArgumentException("expected " + classes + " outputs per row, got " + width);
    }
    for (int r = 0; r < batch; r++) {
      int o = r * width;
      int actual = labelWidth == 1 ? (int) labels[r * labelWidth] : argmax(labels, r * labelWidth, labelWidth);
      int predicted = argmax(output, o, width);
      double max = output[o + predicted];
      double sumExp = 0;
      int above = 0; // classes ranked before the actual one: higher logit, or equal and a lower index
      float za = output[o + actual];
      for (int j = 0; j < width; j++) {
        float z = output[o + j];
        sumExp += Math.exp(z - max);
        if (z > za || (z == za && j < actual)) {
          above++;
        }
      }
      logLossSum += max + Math.log(sumExp) - za; // -log softmax(z)[actual]
      confusion[actual * classes + predicted]++;
      if (above < options.topK()) {
        topKHits++;
      }
      if (positives != null) {
        bin(output[o + 1] - (double) output[o], actual == 1);
      }
    }
  }

  private void addSigmoid(float[] output, float[] labels, int batch, int labelWidth) {
    if (classes != 2) {
      throw new IllegalArgumentException("one output per row is a binary task, but " + classes + " classes are set");
    }
    for (int r = 0; r < batch; r++) {
      double z = output[r];
      int actual = labels[r * labelWidth] >= 0.5f ? 1 : 0;
      int predicted = z > 0 ? 1 : 0;
      // -log sigmoid(z) = softplus(-z); -log(1 - sigmoid(z)) = softplus(z)
      logLossSum += softplus(actual == 1 ? -z : z);
      confusion[actual * 2 + predicted]++;
      if (actual == predicted || options.topK() >= 2) {
        topKHits++;
      }
      bin(z, actual == 1);
    }
  }

  private void bin(double logOdds, boolean positive) {
    int n = positives.length;
    double range = MetricOptions.LOG_ODDS_RANGE;
    int b = (int) Math.floor((logOdds + range) / (2 * range) * n);
    b = Math.max(0, Math.min(n - 1, b)); // also NaN -> 0
    if (positive) {
      positives[b]++;
    } else {
      negatives[b]++;
    }
  }

  private static double softplus(double x) {
    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }

  private static int argmax(float[] a, int off, int n) {
    int best = 0;
    for (int j = 1; j < n; j++) {
      if (a[off + j] > a[off + best]) {
        best = j;
      }
    }
    return best;
  }

  @Override
  public void merge(MetricSums other) {
    ClassificationSums o = (ClassificationSums) other;
    if (o.classes != classes || !o.options.equals(options)) {
      throw new IllegalArgumentException("cannot merge metric sums of other settings");
    }
    for (int i = 0; i < confusion.length; i++) {
      confusion[i] += o.confusion[i];
    }
    if (positives != null) {
      for (int i = 0; i < positives.length; i++) {
        positives[i] += o.positives[i];
        negatives[i] += o.negatives[i];
      }
    }
    topKHits += o.topKHits;
    logLossSum += o.logLossSum;
  }

  @Override
  public long count() {
    long n = 0;
    for (long c : confusion) {
      n += c;
    }
    return n;
  }

  @Override
  public ClassificationSums empty() {
    return new ClassificationSums(classes, options);
  }

  /** The full report: every metric, with the per-class values. */
  public ClassificationReport report() {
    long n = count();
    double[] precision = new double[classes];
    double[] recall = new double[classes];
    double[] f1 = new double[classes];
    long[] support = new long[classes];
    long correct = 0;
    for (int c = 0; c < classes; c++) {
      long predicted = 0;
      for (int a = 0; a < classes; a++) {
        predicted += confusion[a * classes + c];
        support[c] += confusion[c * classes + a];
      }
      long tp = confusion[c * classes + c];
      correct += tp;
      // scikit-learn's zero_division: a ratio with nothing below it is 0
      precision[c] = predicted == 0 ? 0 : (double) tp / predicted;
      recall[c] = support[c] == 0 ? 0 : (double) tp / support[c];
      f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
    }
    double[] macro = new double[3];
    double[] weighted = new double[3];
    int present = 0;
    for (int c = 0; c < classes; c++) {
      long predicted = 0;
      for (int a = 0; a < classes; a++) {
        predicted += confusion[a * classes + c];
      }
      if (support[c] == 0 && predicted == 0) {
        continue; // scikit-learn averages over the labels present in y_true or y_pred
      }
      present++;
      double[] v = {precision[c], recall[c], f1[c]};
      for (int i = 0; i < 3; i++) {
        macro[i] += v[i];
        weighted[i] += v[i] * support[c];
      }
    }
    for (int i = 0; i < 3; i++) {
      macro[i] = present == 0 ? Double.NaN : macro[i] / present;
      weighted[i] = n == 0 ? Double.NaN : weighted[i] / n;
    }
    double rocAuc = positives == null ? Double.NaN : BinaryCurves.rocAuc(positives, negatives);
    double prAuc = positives == null ? Double.NaN : BinaryCurves.averagePrecision(positives, negatives);
    return new ClassificationReport(n, n == 0 ? Double.NaN : (double) correct / n, options.topK(),
        n == 0 ? Double.NaN : (double) topKHits / n, n == 0 ? Double.NaN : logLossSum / n, precision, recall, f1,
        support, macro[0], macro[1], macro[2], weighted[0], weighted[1], weighted[2], rocAuc, prAuc);
  }

  @Override
  public Map<String, Double> values() {
    Map<String, Double> m = new LinkedHashMap<>();
    if (count() == 0) {
      return m;
    }
    ClassificationReport r = report();
    m.put("accuracy", r.accuracy());
    m.put("top_" + r.topK() + "_accuracy", r.topKAccuracy());
    m.put("log_loss", r.logLoss());
    m.put("precision_macro", r.precisionMacro());
    m.put("recall_macro", r.recallMacro());
    m.put("f1_macro", r.f1Macro());
    m.put("precision_weighted", r.precisionWeighted());
    m.put("recall_weighted", r.recallWeighted());
    m.put("f1_weighted", r.f1Weighted());
    if (classes == 2) {
      m.put("roc_auc", r.rocAuc());
      m.put("pr_auc", r.prAuc());
    }
    return m;
  }
}
