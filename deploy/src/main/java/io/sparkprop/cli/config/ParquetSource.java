package io.sparkprop.cli.config;

import java.util.List;

/**
 * Parquet files (a file or folder, as Spark writes them).
 *
 * @param path           the Parquet file or folder
 * @param featuresColumn the vector or array column of features (default "features"; when absent
 *                       and not named, the number columns are the features)
 * @param labelColumn    the label column (default "label")
 */
public record ParquetSource(String path, String featuresColumn, String labelColumn) implements DataSource {

  public ParquetSource {
    if (path == null) {
      throw new IllegalArgumentException("a parquet source needs \"path\"");
    }
  }

  @Override
  public String format() {
    return "parquet";
  }

  @Override
  public Location locate(PathResolver paths, String key, List<String> features) {
    return DataSource.namedColumns(paths, key, path, featuresColumn, labelColumn, features);
  }
}
