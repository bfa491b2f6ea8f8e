package io.sparkprop.cli.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * LIBSVM text ({@code label index:value ...}, 1-based ascending indices; file, folder or glob).
 *
 * @param path        the LIBSVM file(s)
 * @param numFeatures number of features (0 or null = the largest index in the files)
 */
public record LibsvmSource(String path, Integer numFeatures) implements DataSource {

  public LibsvmSource {
    if (path == null) {
      throw new IllegalArgumentException("a libsvm source needs \"path\"");
    }
  }

  @Override
  public String format() {
    return "libsvm";
  }

  @Override
  public Location locate(PathResolver paths, String key, List<String> features) {
    if (features != null && !features.isEmpty()) {
      throw DataSource.noNames(key, "libsvm");
    }
    Map<String, String> o = new HashMap<>();
    if (numFeatures != null && numFeatures > 0) {
      o.put("numFeatures", numFeatures.toString());
    }
    return new Location(paths.location(key + ".path", path), o);
  }
}
