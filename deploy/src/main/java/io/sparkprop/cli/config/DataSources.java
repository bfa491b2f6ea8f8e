package io.sparkprop.cli.config;

/** Helpers shared by the {@link DataSource} formats. */
final class DataSources {
  /** The formats this build reads. */
  static final String READABLE = "idx";

  private DataSources() {
  }

  /** The error for a format whose reader is not in this build. */
  static ConfigException notReadableYet(String key, String format) {
    return new ConfigException(key + ".format: \"" + format + "\" is accepted in configs, but this build has no "
        + format + " reader yet; formats read today: " + READABLE);
  }
}
