package io.sparkprop.cli.config;

import io.sparkprop.core.data.DataSet;

/**
 * LIBSVM text ({@code label index:value ...}, 1-based indices).
 * The config keys are accepted and checked now; the reader is not part of this build yet
 * (the data-source readers come with their own issue), so {@link #read} says so.
 *
 * @param path        the LIBSVM file
 * @param numFeatures number of features (0 or null = the largest index in the file)
 */
public record LibsvmSource(String path, Integer numFeatures) implements DataSource {

  public LibsvmSource {
    if (path == null) {
      throw new IllegalArgumentException("a libsvm source needs \"path\"");
    }
  }

  @Override
  public void checkFiles(PathResolver paths, String key) {
    paths.resolve(key + ".path", path);
  }

  @Override
  public DataSet read(PathResolver paths, String key, int limit) {
    throw DataSources.notReadableYet(key, "libsvm");
  }
}
