package io.sparkprop.cli.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Comma-separated numbers, one sample per line (a file, folder or glob; compressed by extension).
 *
 * @param path   the CSV file(s)
 * @param header whether the first line of each file names the columns (default false)
 * @param label  the label column (name with a header, else 0-based index; default "label" or the first)
 * @param sep    the separator (default ",")
 */
public record CsvSource(String path, Boolean header, String label, String sep) implements DataSource {

  public CsvSource {
    if (path == null) {
      throw new IllegalArgumentException("a csv source needs \"path\"");
    }
  }

  @Override
  public String format() {
    return "csv";
  }

  @Override
  public Location locate(PathResolver paths, String key, List<String> features) {
    Map<String, String> o = new HashMap<>();
    DataSource.put(o, "header", header);
    DataSource.put(o, "label", label);
    DataSource.put(o, "sep", sep);
    if (features != null && !features.isEmpty() && !Boolean.TRUE.equals(header)) {
      throw DataSource.noNames(key, "csv without a header");
    }
    DataSource.features(o, features);
    return new Location(paths.location(key + ".path", path), o);
  }
}
