package io.sparkprop.cli.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    Map<String, String> o = new HashMap<>();
    DataSource.put(o, "featuresCol", featuresColumn);
    DataSource.put(o, "labelCol", labelColumn);
    DataSource.features(o, features);
    return new Location(paths.location(key + ".path", path), o);
  }
}
