package io.sparkprop.core.train;

/**
 * Training stopped because a loss or gradient became NaN or infinite. The parameters are those
 * of the last good step; checkpoints written before are intact.
 */
public class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int epoch;
  private final int step;

  public TrainingDivergedException(int epoch, int step, long globalStep, String what) {
    super("training diverged in epoch " + (epoch + 1) + ", step " + (step + 1) + " (global step " + (globalStep + 1)
        + "): " + what + ". The parameters are left at the last good step and earlier checkpoints are intact;"
        + " try a lower learning rate, gradient clipping (clipGlobalNorm) or scaled inputs.");
    this.epoch = epoch;
    this.step = step;
  }

  /** 0-based epoch of the failing step. */
  public int epoch() {
    return epoch;
  }

  /** 0-based step within the epoch. */
  public int step() {
    return step;
  }
}
