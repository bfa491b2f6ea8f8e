package io.sparkprop.core.metrics;

/**
 * ROC AUC and average precision from score histograms of positive and negative samples, bins in
 * ascending score order. Thresholds are the bin edges, taken from the highest bin down; samples in
 * one bin are tied, as scikit-learn treats equal scores.
 */
final class BinaryCurves {
  private BinaryCurves() {
  }

  /** Trapezoidal area under (FPR, TPR); NaN without both classes. */
  static double rocAuc(long[] pos, long[] neg) {
    double p = total(pos);
    double n = total(neg);
    if (p == 0 || n == 0) {
      return Double.NaN;
    }
    double area = 0;
    double tp = 0;
    double fp = 0;
    for (int b = pos.length - 1; b >= 0; b--) {
      double tp1 = tp + pos[b];
      double fp1 = fp + neg[b];
      area += (fp1 - fp) * (tp + tp1) / 2;
      tp = tp1;
      fp = fp1;
    }
    return area / (p * n);
  }

  /** Σ over thresholds of (recall gain) × precision; NaN without positives. */
  static double averagePrecision(long[] pos, long[] neg) {
    double p = total(pos);
    if (p == 0) {
      return Double.NaN;
    }
    double ap = 0;
    double tp = 0;
    double fp = 0;
    for (int b = pos.length - 1; b >= 0; b--) {
      tp += pos[b];
      fp += neg[b];
      if (pos[b] > 0) {
        ap += pos[b] / p * (tp / (tp + fp));
      }
    }
    return ap;
  }

  private static double total(long[] h) {
    double s = 0;
    for (long v : h) {
      s += v;
    }
    return s;
  }
}
