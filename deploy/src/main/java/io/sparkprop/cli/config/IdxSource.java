package io.sparkprop.cli.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MNIST-style IDX files (optionally gzipped): an images file ({@code idx3}, unsigned bytes
 * scaled to [0, 1]) and a labels file ({@code idx1}, class indices).
 *
 * @param images path of the images file, e.g. {@code data/mnist10k/train-images-idx3-ubyte.gz}
 * @param labels path of the labels file
 */
public record IdxSource(String images, String labels) implements DataSource {

  public IdxSource {
    if (images == null || labels == null) {
      throw new IllegalArgumentException("an idx source needs \"images\" and \"labels\" (paths of IDX files)");
    }
  }

  @Override
  public String format() {
    return "idx";
  }

  @Override
  public Location locate(PathResolver paths, String key, List<String> features) {
    if (features != null && !features.isEmpty()) {
      throw DataSource.noNames(key, "idx");
    }
    Map<String, String> o = new HashMap<>();
    o.put("labels", paths.location(key + ".labels", labels));
    return new Location(paths.location(key + ".images", images), o);
  }
}
