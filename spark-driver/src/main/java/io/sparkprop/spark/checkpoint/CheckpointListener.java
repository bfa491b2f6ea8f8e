package io.sparkprop.spark.checkpoint;

import io.sparkprop.core.model.Model;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.core.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a checkpoint after every {@code every}-th epoch and after the last one (also when early
 * stopping ends the run; then the parameters are the restored best ones if so configured). A run
 * that diverges never reaches a write, so the last good checkpoint stays as it was. The last
 * {@code keep} checkpoints are kept (default 2). A failed write (permission denied, no space,
 * Hadoop's {@code FSError}) stops the run with a {@link CheckpointWriteException} of one line:
 * {@code cannot write <path>: <reason>; training stopped after epoch N; the last good checkpoint ...}.
 */
public final class CheckpointListener implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger("sparkprop");
  private final Configuration conf;
  private final String path;
  private final int every;
  private final int keep;
  private final long seed;
  private final String architectureJson;
  private int epochs;
  private TrainingState last;
  private int written = -1;

  public CheckpointListener(Configuration conf, String path, int every, long seed, String architectureJson) {
    this(conf, path, every, HadoopCheckpoints.DEFAULT_KEEP, seed, architectureJson);
  }

  /** Also keeps the last {@code keep} checkpoints (see {@link HadoopCheckpoints#write(Configuration, String, Checkpoint, int)}). */
  public CheckpointListener(Configuration conf, String path, int every, int keep, long seed, String architectureJson) {
    if (every < 1) {
      throw new IllegalArgumentException("checkpointEvery must be >= 1 epoch, got " + every);
    }
    if (keep < 1) {
      throw new IllegalArgumentException("checkpoints to keep must be >= 1, got " + keep);
    }
    this.keep = keep;
    this.conf = conf;
    this.path = path;
    this.every = every;
    this.seed = seed;
    this.architectureJson = architectureJson;
  }

  @Override
  public void onTrainBegin(Model model, TrainingConfig config, int stepsPerEpoch, TrainingState state) {
    epochs = config.epochs();
    written = state.completedEpochs();
  }

  @Override
  public void onEpochEnd(EpochLog log, TrainingState state, Model model) {
    last = state;
    if (log.epoch() % every == 0 || log.epoch() == epochs) {
      save(state, model);
    }
  }

  @Override
  public void onTrainEnd(History history, Model model) {
    if (last != null && written < last.completedEpochs()) {
      save(last, model);
    }
  }

  private void save(TrainingState state, Model model) {
    long t0 = System.nanoTime();
    try {
      HadoopCheckpoints.write(conf, path, new Checkpoint(seed, architectureJson, model.params(), state), keep);
    } catch (UncheckedIOException e) {
      // One line, and the exception ends the training loop: the run stops after this epoch.
      throw new CheckpointWriteException(e.getMessage() + "; training stopped after epoch "
          + state.completedEpochs(), e.getCause());
    }
    written = state.completedEpochs();
    LOG.info("checkpoint after epoch {} written to {} ({} ms)", written, path, (System.nanoTime() - t0) / 1_000_000);
  }

  /** A checkpoint could not be written; the message is one line, the cause the file system's error. */
  public static final class CheckpointWriteException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    CheckpointWriteException(String message, Throwable cause) {
      super(message, cause instanceof IOException io ? io : new IOException(cause));
    }
  }
}
