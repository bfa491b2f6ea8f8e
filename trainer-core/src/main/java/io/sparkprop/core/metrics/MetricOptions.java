package io.sparkprop.core.metrics;

import java.io.Serializable;

/**
 * Settings of the evaluation metrics (serializable: Spark tasks carry them inside the metric sums).
 *
 * @param topK    k of the top-k accuracy (a sample counts when its class is among the k highest outputs)
 * @param aucBins histogram bins of the binary score (log-odds, clamped to
 *                [-{@value #LOG_ODDS_RANGE}, {@value #LOG_ODDS_RANGE}]) for ROC AUC and PR AUC; scores in
 *                one bin count as tied, so the AUCs are exact when no two different scores share a bin
 *                (3200 bins: a log-odds resolution of 0.01)
 */
public record MetricOptions(int topK, int aucBins) implements Serializable {
  /** Top-5 accuracy, 3200 bins. */
  public static final MetricOptions DEFAULTS = new MetricOptions(5, 3200);
  /** Half-width of the binned log-odds range. */
  public static final double LOG_ODDS_RANGE = 16;

  public MetricOptions {
    if (topK < 1) {
      throw new IllegalArgumentException("metrics: topK must be >= 1, got " + topK);
    }
    if (aucBins < 2 || aucBins > 1 << 20) {
      throw new IllegalArgumentException("metrics: aucBins must be in [2, 1048576], got " + aucBins);
    }
  }

  public MetricOptions withTopK(int k) {
    return new MetricOptions(k, aucBins);
  }

  public MetricOptions withAucBins(int bins) {
    return new MetricOptions(topK, bins);
  }
}
