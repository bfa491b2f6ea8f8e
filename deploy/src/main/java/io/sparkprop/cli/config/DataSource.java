package io.sparkprop.cli.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.sparkprop.core.data.DataSet;

/**
 * Where one set of samples comes from, chosen by the {@code "format"} key. This is the extension
 * point for data formats: a new format is a record implementing this interface, registered
 * below under its format name; its components are its config keys (checked strictly), and
 * {@link #read} turns them into a {@link DataSet}. Today {@code idx} is read; {@code csv},
 * {@code libsvm} and {@code parquet} are accepted in configs and report that their reader is not
 * part of this build yet.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "format")
@JsonSubTypes({
    @JsonSubTypes.Type(value = IdxSource.class, name = "idx"),
    @JsonSubTypes.Type(value = CsvSource.class, name = "csv"),
    @JsonSubTypes.Type(value = LibsvmSource.class, name = "libsvm"),
    @JsonSubTypes.Type(value = ParquetSource.class, name = "parquet"),
})
public interface DataSource {

  /**
   * Checks that every file this source names can be found, without reading it, so that a
   * missing file is reported before Spark starts. {@code key} is this source's key path
   * ("data.train").
   *
   * @throws ConfigException naming the key, the path and where it was looked for
   */
  void checkFiles(PathResolver paths, String key);

  /**
   * Reads at most {@code limit} samples (0 = all).
   *
   * @throws ConfigException when the files cannot be found or the format is not readable here
   * @throws io.sparkprop.core.data.DataException when the content is bad (names the file and row)
   */
  DataSet read(PathResolver paths, String key, int limit);
}
