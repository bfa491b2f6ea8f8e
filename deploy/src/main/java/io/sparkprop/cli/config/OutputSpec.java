package io.sparkprop.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The output section: a run writes into {@code dir/<name>-<yyyyMMdd-HHmmss>/}, or into
 * {@code dir} itself when {@code timestamped} is false.
 *
 * @param dir         parent folder (default "out", relative to the working directory)
 * @param timestamped whether each run gets its own sub-folder (default true)
 */
public record OutputSpec(String dir, boolean timestamped) {
  /** {@code out/<name>-<time>/}. */
  public static final OutputSpec DEFAULTS = new OutputSpec("out", true);

  public OutputSpec {
    if (dir == null || dir.isBlank()) {
      throw new IllegalArgumentException("dir: expected a folder name, got \"" + dir + "\"");
    }
  }

  @JsonCreator
  static OutputSpec fromJson(@JsonProperty("dir") String dir, @JsonProperty("timestamped") Boolean timestamped) {
    return new OutputSpec(dir == null ? DEFAULTS.dir() : dir, timestamped == null || timestamped);
  }
}
