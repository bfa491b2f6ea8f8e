package io.sparkprop.cli.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one set of samples comes from, chosen by the {@code "format"} key: the config keys of a
 * format (checked strictly) and their translation into a format and options of
 * {@link io.sparkprop.ml.data.DataSources#load}, which reads the data on the executors. A path
 * with a scheme ({@code hdfs://..}, {@code s3a://..}, {@code file:/..}) is used as it is; a
 * plain path is a local file found by the {@link PathResolver}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "format")
@JsonSubTypes({
    @JsonSubTypes.Type(value = IdxSource.class, name = "idx"),
    @JsonSubTypes.Type(value = CsvSource.class, name = "csv"),
    @JsonSubTypes.Type(value = LibsvmSource.class, name = "libsvm"),
    @JsonSubTypes.Type(value = ParquetSource.class, name = "parquet"),
    @JsonSubTypes.Type(value = JsonSource.class, name = "json"),
})
public interface DataSource {

  /** The format name of {@link io.sparkprop.ml.data.DataSources#FORMATS}. */
  String format();

  /**
   * The path read and the reader's options, local paths resolved with {@code paths};
   * {@code features} are the feature columns chosen by name (empty = all but the label).
   *
   * @throws ConfigException when a local file is found nowhere, or the format cannot choose
   *     features by name
   */
  Location locate(PathResolver paths, String key, List<String> features);

  /** A path to read and the options of its format. */
  record Location(String path, Map<String, String> options) {
  }

  /** Checks that the local files this source names exist, before Spark starts. */
  default void checkFiles(PathResolver paths, String key) {
    locate(paths, key, List.of());
  }

  /**
   * The location of a format whose rows have named columns (parquet, json): the features column
   * (or the features chosen by name) and the label column, each left to the reader's default when
   * null.
   */
  static Location namedColumns(PathResolver paths, String key, String path, String featuresColumn, String labelColumn,
                               List<String> features) {
    Map<String, String> o = new HashMap<>();
    put(o, "featuresCol", featuresColumn);
    put(o, "labelCol", labelColumn);
    features(o, features);
    return new Location(paths.location(key + ".path", path), o);
  }

  /** Puts {@code value} under {@code key} when it is not null. */
  static void put(Map<String, String> o, String key, Object value) {
    if (value != null) {
      o.put(key, value.toString());
    }
  }

  /** The option "features" for names chosen in the config (nothing when empty). */
  static void features(Map<String, String> o, List<String> names) {
    if (names != null && !names.isEmpty()) {
      o.put("features", String.join(",", names));
    }
  }

  /** The error for formats whose features have no names. */
  static ConfigException noNames(String key, String format) {
    return new ConfigException("data.features: " + format + " data (" + key + ") has no column names; choose "
        + "features by name with csv (header true), parquet or json data");
  }
}
