package io.sparkprop.spark.checkpoint;

import io.sparkprop.core.model.Model;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.core.train.TrainingState;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a checkpoint after every {@code every}-th epoch and after the last one (also when early
 * stopping ends the run; then the parameters are the restored best ones if so configured). A run
 * that diverges never reaches a write, so the last good checkpoint stays as it was.
 */
public final class CheckpointListener implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger("sparkprop");
  private final Configuration conf;
  private final String path;
  private final int every;
  private final long seed;
  private final String architectureJson;
  private int epochs;
  private TrainingState last;
  private int written = -1;

  public CheckpointListener(Configuration conf, String path, int every, long seed, String architectureJson) {
    if (every < 1) {
      throw new IllegalArgumentException("checkpointEvery must be >= 1 epoch, got " + every);
    }
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
    HadoopCheckpoints.write(conf, path, new Checkpoint(seed, architectureJson, model.params(), state));
    written = state.completedEpochs();
    LOG.info("checkpoint after epoch {} written to {} ({} ms)", written, path, (System.nanoTime() - t0) / 1_000_000);
  }
}
