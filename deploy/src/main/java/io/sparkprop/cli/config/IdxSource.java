package io.sparkprop.cli.config;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.io.IdxReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * MNIST-style IDX files (optionally gzipped): an images file ({@code idx3}, unsigned bytes
 * scaled to [0, 1]) and a labels file ({@code idx1}, class indices), read by the core
 * {@link IdxReader}.
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
  public void checkFiles(PathResolver paths, String key) {
    paths.resolve(key + ".images", images);
    paths.resolve(key + ".labels", labels);
  }

  @Override
  public DataSet read(PathResolver paths, String key, int limit) {
    Path x = paths.resolve(key + ".images", images);
    Path y = paths.resolve(key + ".labels", labels);
    DataSet all;
    try {
      all = IdxReader.dataSet(x, y, false);
    } catch (IOException e) {
      throw new UncheckedIOException(key + ": cannot read " + x + " / " + y + ": " + e.getMessage(), e);
    }
    return limit > 0 && limit < all.size() ? all.slice(0, limit) : all;
  }
}
