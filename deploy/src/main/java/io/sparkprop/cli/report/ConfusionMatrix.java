package io.sparkprop.cli.report;

import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs: {@code count(t, p)} is the number of samples of
 * class {@code t} predicted as {@code p}. Accuracy = Σ_c count(c, c) / n; recall of c =
 * count(c, c) / Σ_p count(c, p); precision of c = count(c, c) / Σ_t count(t, c).
 */
public final class ConfusionMatrix {
  private final int classes;
  private final long[] counts;

  /** The matrix of {@code n} samples with true classes {@code actual} and predictions {@code predicted}. */
  public static ConfusionMatrix of(int classes, float[] actual, int labelWidth, int[] predicted, int n) {
    ConfusionMatrix m = new ConfusionMatrix(classes);
    for (int i = 0; i < n; i++) {
      int t = labelWidth == 1 ? (int) actual[i] : argmax(actual, i * labelWidth, labelWidth);
      if (t < 0 || t >= classes || predicted[i] < 0 || predicted[i] >= classes) {
        throw new IllegalArgumentException("sample " + i + ": class " + t + " or prediction " + predicted[i]
            + " is outside [0, " + classes + ")");
      }
      m.counts[t * classes + predicted[i]]++;
    }
    return m;
  }

  /** The matrix of counts summed elsewhere: {@code counts[t * classes + p]} samples of class t predicted as p. */
  public static ConfusionMatrix ofCounts(int classes, long[] counts) {
    ConfusionMatrix m = new ConfusionMatrix(classes);
    System.arraycopy(counts, 0, m.counts, 0, m.counts.length);
    return m;
  }

  private ConfusionMatrix(int classes) {
    if (classes < 2) {
      throw new IllegalArgumentException("a confusion matrix needs at least 2 classes, got " + classes);
    }
    this.classes = classes;
    this.counts = new long[classes * classes];
  }

  public int classes() {
    return classes;
  }

  /** Samples of true class {@code t} predicted as {@code p}. */
  public long count(int t, int p) {
    return counts[t * classes + p];
  }

  /** Number of samples. */
  public long total() {
    long s = 0;
    for (long c : counts) {
      s += c;
    }
    return s;
  }

  /** Σ_c count(c, c) / n. */
  public double accuracy() {
    long right = 0;
    for (int c = 0; c < classes; c++) {
      right += count(c, c);
    }
    return (double) right / total();
  }

  /** count(c, c) / Σ_p count(c, p); NaN when class c never occurs. */
  public double recall(int c) {
    long row = 0;
    for (int p = 0; p < classes; p++) {
      row += count(c, p);
    }
    return row == 0 ? Double.NaN : (double) count(c, c) / row;
  }

  /** count(c, c) / Σ_t count(t, c); NaN when c is never predicted. */
  public double precision(int c) {
    long col = 0;
    for (int t = 0; t < classes; t++) {
      col += count(t, c);
    }
    return col == 0 ? Double.NaN : (double) count(c, c) / col;
  }

  /** A text table: rows are true classes, columns predictions, with recall and precision. */
  public String format() {
    long max = 1;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    int w = Math.max(5, Long.toString(max).length() + 1);
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Confusion matrix (rows: true class, columns: predicted), %d samples, "
        + "accuracy %.4f%n", total(), accuracy()));
    b.append(String.format(Locale.ROOT, "%6s", "true"));
    for (int p = 0; p < classes; p++) {
      b.append(String.format(Locale.ROOT, "%" + w + "d", p));
    }
    b.append(String.format(Locale.ROOT, "%9s%n", "recall"));
    for (int t = 0; t < classes; t++) {
      b.append(String.format(Locale.ROOT, "%6d", t));
      for (int p = 0; p < classes; p++) {
        b.append(String.format(Locale.ROOT, "%" + w + "d", count(t, p)));
      }
      b.append(String.format(Locale.ROOT, "%9.4f%n", recall(t)));
    }
    b.append(String.format(Locale.ROOT, "%6s", "prec."));
    for (int p = 0; p < classes; p++) {
      double v = precision(p);
      b.append(Double.isNaN(v) ? String.format(Locale.ROOT, "%" + w + "s", "-")
          : String.format(Locale.ROOT, "%" + w + ".2f", v));
    }
    return b.append('\n').toString();
  }

  private static int argmax(float[] v, int off, int len) {
    int best = 0;
    for (int i = 1; i < len; i++) {
      if (v[off + i] > v[off + best]) {
        best = i;
      }
    }
    return best;
  }
}
