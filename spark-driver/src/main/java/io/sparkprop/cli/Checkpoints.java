package io.sparkprop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.cli.report.HistoryFiles;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.core.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Saves the model and the history so far into a folder every {@code every} epochs (Keras'
 * ModelCheckpoint: weights, not optimizer state). {@code train --init-from DIR} continues from
 * such a checkpoint's weights.
 */
final class Checkpoints implements TrainingListener {
  private final int every;
  private final Path dir;
  private final JsonNode training;

  Checkpoints(int every, Path dir, JsonNode training) {
    this.every = every;
    this.dir = dir;
    this.training = training;
  }

  @Override
  public void onEpochEnd(EpochLog log, TrainingState state, Model model) {
    if (log.epoch() % every != 0) {
      return;
    }
    try {
      ModelIO.save(model, training, dir);
      HistoryFiles.write(state.history(), dir);
    } catch (IOException e) {
      throw new UncheckedIOException("checkpoint " + dir + ": " + e.getMessage(), e);
    }
  }
}
