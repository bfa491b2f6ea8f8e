package io.sparkprop.core.train;

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
 */
public record EpochLog(int epoch, double loss, double accuracy, double valLoss, double valAccuracy,
                       double learningRate, double seconds, long samples, double[] phaseSeconds) {

  /** Training samples per second. */
  public double samplesPerSecond() {
    return seconds > 0 ? samples / seconds : Double.NaN;
  }

  /** A metric by Keras name: loss, accuracy, val_loss, val_accuracy, lr. */
  public double metric(String name) {
    return switch (name) {
      case "loss" -> loss;
      case "accuracy", "acc" -> accuracy;
      case "val_loss" -> valLoss;
      case "val_accuracy", "val_acc" -> valAccuracy;
      case "lr", "learning_rate" -> learningRate;
      default -> throw new IllegalArgumentException(
          "unknown metric '" + name + "': expected loss, accuracy, val_loss, val_accuracy or lr");
    };
  }
}
