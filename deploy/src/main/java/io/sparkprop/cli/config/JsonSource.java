package io.sparkprop.cli.config;

import java.util.List;

/**
 * JSON lines: one object per line (a file, folder or glob; compressed by extension).
 *
 * @param path           the file(s)
 * @param featuresColumn a key holding the features as an array (default "features"; when absent
 *                       and not named, the number keys are the features)
 * @param labelColumn    the label key (default "label")
 */
public record JsonSource(String path, String featuresColumn, String labelColumn) implements DataSource {

  public JsonSource {
    if (path == null) {
      throw new IllegalArgumentException("a json source needs \"path\"");
    }
  }

  @Override
  public String format() {
    return "json";
  }

  @Override
  public Location locate(PathResolver paths, String key, List<String> features) {
    return DataSource.namedColumns(paths, key, path, featuresColumn, labelColumn, features);
  }
}
