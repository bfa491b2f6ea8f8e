package io.sparkprop.cli.config;

import io.sparkprop.core.data.DataSet;

/**
 * Parquet files (read with Spark).
 * The config keys are accepted and checked now; the reader is not part of this build yet
 * (the data-source readers come with their own issue), so {@link #read} says so.
 *
 * @param path           the Parquet file or folder
 * @param featuresColumn the vector or array column of features
 * @param labelColumn    the label column
 */
public record ParquetSource(String path, String featuresColumn, String labelColumn) implements DataSource {

  public ParquetSource {
    if (path == null) {
      throw new IllegalArgumentException("a parquet source needs \"path\"");
    }
  }

  @Override
  public void checkFiles(PathResolver paths, String key) {
    paths.resolve(key + ".path", path);
  }

  @Override
  public DataSet read(PathResolver paths, String key, int limit) {
    throw DataSources.notReadableYet(key, "parquet");
  }
}
