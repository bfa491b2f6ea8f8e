package io.sparkprop.core.train;

import io.sparkprop.core.optim.OptimizerState;

/**
 * Everything besides the parameters that a resumed run needs to continue exactly: completed
 * epochs, global step, optimizer state, history, and the state of reduce-on-plateau and early
 * stopping. Shuffles and dropout are functions of (seed, epoch, step, partition), so no random
 * generator state is needed beyond the seed in the config.
 */
public final class TrainingState {
  int completedEpochs;
  long globalStep;
  final OptimizerState optimizer;
  final History history;
  /** Reduce-on-plateau: current factor on the learning rate, best value, epochs waited. */
  double lrFactor = 1.0;
  double plateauBest = Double.NaN;
  int plateauWait;
  /** Early stopping: best value, its epoch, epochs waited, and the best parameters (when restoring). */
  double stopBest = Double.NaN;
  int stopBestEpoch = -1;
  int stopWait;
  float[] bestParams;

  public TrainingState(OptimizerState optimizer, History history) {
    this.optimizer = optimizer;
    this.history = history;
  }

  public int completedEpochs() {
    return completedEpochs;
  }

  public long globalStep() {
    return globalStep;
  }

  public OptimizerState optimizer() {
    return optimizer;
  }

  public History history() {
    return history;
  }

  public double lrFactor() {
    return lrFactor;
  }

  /** The scalar fields, for checkpoints: a flat record that serialises to JSON. */
  public Counters counters() {
    return new Counters(completedEpochs, globalStep, optimizer.step(), lrFactor, plateauBest, plateauWait,
        stopBest, stopBestEpoch, stopWait);
  }

  /** Restores the scalar fields from a checkpoint. */
  public void restore(Counters c, float[] bestParams) {
    completedEpochs = c.completedEpochs();
    globalStep = c.globalStep();
    lrFactor = c.lrFactor();
    plateauBest = c.plateauBest();
    plateauWait = c.plateauWait();
    stopBest = c.stopBest();
    stopBestEpoch = c.stopBestEpoch();
    stopWait = c.stopWait();
    this.bestParams = bestParams;
  }

  /** Best parameters kept for early stopping's restore, or null. */
  public float[] bestParams() {
    return bestParams;
  }

  /** A deep copy (checkpoints are written from copies while training goes on). */
  public TrainingState copy() {
    TrainingState s = new TrainingState(optimizer.copy(), history.copy());
    s.restore(counters(), bestParams == null ? null : bestParams.clone());
    return s;
  }

  /** The scalar part of the state. */
  public record Counters(int completedEpochs, long globalStep, long optimizerStep, double lrFactor,
                         double plateauBest, int plateauWait, double stopBest, int stopBestEpoch, int stopWait) {
  }
}
