package io.sparkprop.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * The spark section.
 *
 * @param master     master URL; null = {@code spark.master} when already set (spark-submit), else {@code local[*]}
 * @param partitions training partitions; 0 = Spark's default parallelism (one per core)
 * @param conf       extra Spark settings, e.g. {@code {"spark.driver.memory": "2g"}}
 */
public record SparkSpec(String master, int partitions, Map<String, String> conf) {
  /** No master, default partitions, no extra settings. */
  public static final SparkSpec DEFAULTS = new SparkSpec(null, 0, Map.of());

  public SparkSpec {
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions: expected an integer >= 0 (0 = one per core), got " + partitions);
    }
    conf = conf == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(conf));
  }

  @JsonCreator
  static SparkSpec fromJson(@JsonProperty("master") String master, @JsonProperty("partitions") Integer partitions,
                            @JsonProperty("conf") Map<String, String> conf) {
    return new SparkSpec(master, partitions == null ? 0 : partitions, conf);
  }
}
