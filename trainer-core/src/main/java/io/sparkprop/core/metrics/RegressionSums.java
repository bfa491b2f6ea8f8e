package io.sparkprop.core.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sums for regression metrics over {@code width} outputs: per output the squared and absolute
 * errors, and the targets' mean and sum of squared deviations (Welford's update within a
 * partition, Chan's formula to merge two, so R² stays accurate for targets far from zero).
 * Multi-output values are averaged uniformly over the outputs, as scikit-learn's default
 * {@code multioutput="uniform_average"}.
 */
public final class RegressionSums implements MetricSums {
  private static final long serialVersionUID = 1L;
  private final int width;
  private final double[] sse;
  private final double[] sae;
  private final double[] mean;
  private final double[] m2;
  private long n;

  public RegressionSums(int width) {
    if (width < 1) {
      throw new IllegalArgumentException("regression metrics need >= 1 output, got " + width);
    }
    this.width = width;
    sse = new double[width];
    sae = new double[width];
    mean = new double[width];
    m2 = new double[width];
  }

  @Override
  public void add(float[] output, float[] labels, int batch, int w, int labelWidth) {
    if (w != width || labelWidth != width) {
      throw new IllegalArgumentException("expected " + width + " outputs and targets per row, got " + w + " and "
          + labelWidth);
    }
    for (int r = 0; r < batch; r++) {
      n++;
      for (int j = 0; j < width; j++) {
        double y = labels[r * width + j];
        double e = output[r * width + j] - y;
        sse[j] += e * e;
        sae[j] += Math.abs(e);
        double d = y - mean[j];
        mean[j] += d / n;
        m2[j] += d * (y - mean[j]);
      }
    }
  }

  @Override
  public void merge(MetricSums other) {
    RegressionSums o = (RegressionSums) other;
    if (o.width != width) {
      throw new IllegalArgumentException("cannot merge metric sums of " + o.width + " outputs into " + width);
    }
    if (o.n == 0) {
      return;
    }
    long total = n + o.n;
    for (int j = 0; j < width; j++) {
      double delta = o.mean[j] - mean[j];
      m2[j] += o.m2[j] + delta * delta * n * o.n / total;
      mean[j] += delta * o.n / total;
      sse[j] += o.sse[j];
      sae[j] += o.sae[j];
    }
    n = total;
  }

  @Override
  public long count() {
    return n;
  }

  @Override
  public RegressionSums empty() {
    return new RegressionSums(width);
  }

  @Override
  public Map<String, Double> values() {
    Map<String, Double> m = new LinkedHashMap<>();
    if (n == 0) {
      return m;
    }
    double se = 0;
    double ae = 0;
    double r2 = 0;
    for (int j = 0; j < width; j++) {
      se += sse[j];
      ae += sae[j];
      // scikit-learn (force_finite): constant targets give 1 when predicted exactly, else 0
      r2 += m2[j] == 0 ? (sse[j] == 0 ? 1 : 0) : 1 - sse[j] / m2[j];
    }
    double mse = se / ((double) n * width);
    m.put("mse", mse);
    m.put("rmse", Math.sqrt(mse));
    m.put("mae", ae / ((double) n * width));
    m.put("r2", r2 / width);
    return m;
  }
}
