package io.sparkprop.cli.config;

import io.sparkprop.core.data.DataSet;

/**
 * Comma-separated values, one sample per line.
 * The config keys are accepted and checked now; the reader is not part of this build yet
 * (the data-source readers come with their own issue), so {@link #read} says so.
 *
 * @param path   the CSV file
 * @param header whether the first line names the columns
 * @param label  the label column (name, or 0-based index without a header); the other columns are features
 */
public record CsvSource(String path, Boolean header, String label) implements DataSource {

  public CsvSource {
    if (path == null) {
      throw new IllegalArgumentException("a csv source needs \"path\"");
    }
  }

  @Override
  public void checkFiles(PathResolver paths, String key) {
    paths.resolve(key + ".path", path);
  }

  @Override
  public DataSet read(PathResolver paths, String key, int limit) {
    throw DataSources.notReadableYet(key, "csv");
  }
}
