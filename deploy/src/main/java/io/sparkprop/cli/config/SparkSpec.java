package io.sparkprop.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.spark.SparkOptions;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The spark section.
 *
 * @param master     master URL; null = {@code spark.master} when already set (spark-submit), else {@code local[*]}
 * @param partitions training partitions; 0 = Spark's default parallelism (one per core)
 * @param conf       extra Spark settings, e.g. {@code {"spark.driver.memory": "2g"}}
 * @param sync       how the partitions meet the driver once per step: {@code auto} (default: barrier
 *                   where it can run, else jobs), {@code jobs} or {@code barrier} ({@link SparkOptions.Sync})
 */
public record SparkSpec(String master, int partitions, Map<String, String> conf, String sync) {
  /** No master, default partitions, no extra settings, automatic sync. */
  public static final SparkSpec DEFAULTS = new SparkSpec(null, 0, Map.of(), "auto");

  public SparkSpec {
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions: expected an integer >= 0 (0 = one per core), got " + partitions);
    }
    conf = conf == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(conf));
    // kept as the config's spelling so that the effective config.json writes it back as read
    sync = sync == null ? "auto" : sync;
    mode(sync);
  }

  /** {@link #sync()} as the trainer's option. */
  public SparkOptions.Sync syncMode() {
    return mode(sync);
  }

  @JsonCreator
  static SparkSpec fromJson(@JsonProperty("master") String master, @JsonProperty("partitions") Integer partitions,
                            @JsonProperty("conf") Map<String, String> conf, @JsonProperty("sync") String sync) {
    return new SparkSpec(master, partitions == null ? 0 : partitions, conf, sync);
  }

  /**
   * The lower-case names only: Jackson's enum binding would also take "JOBS" or an ordinal, and
   * this config is strict so that a typo never silently means another mode.
   */
  private static SparkOptions.Sync mode(String s) {
    for (SparkOptions.Sync v : SparkOptions.Sync.values()) {
      if (v.name().toLowerCase(Locale.ROOT).equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("sync: expected one of auto, jobs, barrier, got \"" + s + "\"");
  }
}
