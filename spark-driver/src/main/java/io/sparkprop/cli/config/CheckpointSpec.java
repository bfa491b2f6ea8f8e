package io.sparkprop.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The checkpoint section.
 *
 * @param everyEpochs write a checkpoint every this many epochs (0 = never)
 * @param dir         where; null = {@code checkpoint/} inside the run's output folder
 */
public record CheckpointSpec(int everyEpochs, String dir) {
  /** No checkpoints. */
  public static final CheckpointSpec DEFAULTS = new CheckpointSpec(0, null);

  public CheckpointSpec {
    if (everyEpochs < 0) {
      throw new IllegalArgumentException("everyEpochs: expected an integer >= 0 (0 = never), got " + everyEpochs);
    }
  }

  @JsonCreator
  static CheckpointSpec fromJson(@JsonProperty("everyEpochs") Integer everyEpochs, @JsonProperty("dir") String dir) {
    return new CheckpointSpec(everyEpochs == null ? 0 : everyEpochs, dir);
  }
}
