package io.sparkprop.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.metrics.MetricOptions;

/**
 * The metrics section: settings of the metrics in the history, {@code metrics.json} and
 * {@code evaluate} (core's {@link MetricOptions}).
 *
 * @param topK the k of {@code top_<k>_accuracy} (default 5)
 */
public record MetricsSpec(int topK) {
  /** Core's defaults. */
  public static final MetricsSpec DEFAULTS = new MetricsSpec(MetricOptions.DEFAULTS.topK());

  public MetricsSpec {
    if (topK < 1) {
      throw new IllegalArgumentException("topK: expected an integer >= 1, got " + topK);
    }
  }

  /** Core's options with these settings. */
  public MetricOptions options() {
    return MetricOptions.DEFAULTS.withTopK(topK);
  }

  @JsonCreator
  static MetricsSpec fromJson(@JsonProperty("topK") Integer topK) {
    return new MetricsSpec(topK == null ? DEFAULTS.topK() : topK);
  }
}
