package io.sparkprop.core.train;

import io.sparkprop.core.model.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per epoch at INFO: loss, metrics, samples/s, ETA and where the time went, e.g.
 * {@code epoch 3/20 - loss 0.1234 - accuracy 0.9612 - val_loss 0.1402 - val_accuracy 0.9555 -
 * 1.21 s, 6,612 samples/s, ETA 20 s - broadcast 4% compute 81% aggregate 9% update 2%}.
 */
public final class EpochLogger implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger("sparkprop");
  private int epochs;

  @Override
  public void onTrainBegin(Model model, TrainingConfig config, int stepsPerEpoch, TrainingState state) {
    epochs = config.epochs();
  }

  @Override
  public void onEpochEnd(EpochLog log, TrainingState state, Model model) {
    if (LOG.isInfoEnabled()) {
      LOG.info(format(log, epochs));
    }
  }

  @Override
  public void onEarlyStopping(StopSummary summary) {
    LOG.info(summary.message());
  }

  /** The epoch line. */
  public static String format(EpochLog log, int epochs) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("epoch %d/%d - loss %.4f", log.epoch(), epochs, log.loss()));
    metric(b, "accuracy", log.accuracy());
    metric(b, "val_loss", log.valLoss());
    metric(b, "val_accuracy", log.valAccuracy());
    double eta = log.seconds() * (epochs - log.epoch());
    b.append(String.format(" - %.2f s, %,.0f samples/s, ETA %.0f s, lr %.3g", log.seconds(), log.samplesPerSecond(),
        eta, log.learningRate()));
    double[] ph = log.phaseSeconds();
    if (log.seconds() > 0) {
      Timings.Phase[] names = Timings.Phase.values();
      b.append(" -");
      for (int i = 0; i < names.length; i++) {
        if (ph[i] > 0) {
          b.append(String.format(" %s %.0f%%", names[i].name().toLowerCase(java.util.Locale.ROOT),
              100 * ph[i] / log.seconds()));
        }
      }
    }
    return b.toString();
  }

  private static void metric(StringBuilder b, String name, double v) {
    if (!Double.isNaN(v)) {
      b.append(String.format(" - %s %.4f", name, v));
    }
  }
}
