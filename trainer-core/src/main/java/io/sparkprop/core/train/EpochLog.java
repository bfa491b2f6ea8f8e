package io.sparkprop.core.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one epoch. Values that do not apply are NaN (accuracy for regression,
 * validation metrics without validation data).
 *
 * @param epoch         1-based epoch number
 * @param loss          mean training loss over the epoch's steps (data loss + penalties)
 * @param accuracy      training accuracy (classification)
 * @param valLoss       validation loss after the epoch
 * @param valAccuracy   validation accuracy after the epoch
 * @param learningRate  learning rate of the epoch's last step
 * @param seconds       wall time of the epoch (training steps and validation)
 * @param samples       training samples seen
 * @param phaseSeconds  seconds spent in broadcast, compute, aggregation and update (Timings.Phase order)
 * @param valMetrics    the validation metrics of {@link io.sparkprop.core.metrics.MetricSums#values()}
 *                      (f1_macro, roc_auc, r2, ...), by name without the {@code val_} prefix; empty
 *                      without validation data
 */
public record EpochLog(int epoch, double loss, double accuracy, double valLoss, double valAccuracy,
                       double learningRate, double seconds, long samples, double[] phaseSeconds,
                       Map<String, Double> valMetrics) {

  /** Keeps the metrics' order; null reads as none. */
  public EpochLog {
    valMetrics = valMetrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(valMetrics));
  }

  /** An epoch without validation metrics beyond loss and accuracy. */
  public EpochLog(int epoch, double loss, double accuracy, double valLoss, double valAccuracy,
                  double learningRate, double seconds, long samples, double[] phaseSeconds) {
    this(epoch, loss, accuracy, valLoss, valAccuracy, learningRate, seconds, samples, phaseSeconds, Map.of());
  }

  /** Training samples per second. */
  public double samplesPerSecond() {
    return seconds > 0 ? samples / seconds : Double.NaN;
  }

  /** A metric by Keras name: loss, accuracy, val_loss, val_accuracy, lr, or val_ and a validation metric's name. */
  public double metric(String name) {
    if (name.startsWith("val_") && valMetrics.containsKey(name.substring(4))) {
      return valMetrics.get(name.substring(4));
    }
    return switch (name) {
      case "loss" -> loss;
      case "accuracy", "acc" -> accuracy;
      case "val_loss" -> valLoss;
      case "val_accuracy", "val_acc" -> valAccuracy;
      case "lr", "learning_rate" -> learningRate;
      default -> throw new IllegalArgumentException(
          "unknown metric '" + name + "': expected loss, accuracy, val_loss, val_accuracy, lr"
              + (valMetrics.isEmpty() ? "" : " or val_ with one of " + String.join(", ", valMetrics.keySet())));
    };
  }
}
