package io.sparkprop.cli.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    Map<String, String> o = new HashMap<>();
    DataSource.put(o, "featuresCol", featuresColumn);
    DataSource.put(o, "labelCol", labelColumn);
    DataSource.features(o, features);
    return new Location(paths.location(key + ".path", path), o);
  }
}
