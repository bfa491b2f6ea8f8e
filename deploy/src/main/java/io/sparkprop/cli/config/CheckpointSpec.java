package io.sparkprop.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The checkpoint section: the full training state (parameters, optimizer state, epoch, history)
 * is written every {@code everyEpochs} epochs and after the last, and {@code train --resume PATH}
 * continues such a run exactly.
 *
 * @param everyEpochs write a checkpoint every this many epochs (0 = never)
 * @param path        the checkpoint file, any Hadoop path ({@code hdfs://...}, {@code file:/...});
 *                    null = {@code checkpoint} inside the run's output folder
 */
public record CheckpointSpec(int everyEpochs, String path) {
  /** No checkpoints. */
  public static final CheckpointSpec DEFAULTS = new CheckpointSpec(0, null);

  public CheckpointSpec {
    if (everyEpochs < 0) {
      throw new IllegalArgumentException("everyEpochs: expected an integer >= 0 (0 = never), got " + everyEpochs);
    }
  }

  @JsonCreator
  static CheckpointSpec fromJson(@JsonProperty("everyEpochs") Integer everyEpochs, @JsonProperty("path") String path) {
    return new CheckpointSpec(everyEpochs == null ? 0 : everyEpochs, path);
  }
}
