package io.sparkprop.core.train;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.model.Model;

/** Callbacks from the training loop (Keras' callbacks). All methods do nothing by default. */
public interface TrainingListener {

  /** Before the first epoch that runs (also when resuming). */
  default void onTrainBegin(Model model, TrainingConfig config, int stepsPerEpoch, TrainingState state) {
  }

  /** After every step, with the step's loss sums (from the gradient pass). */
  default void onStepEnd(int epoch, int step, int steps, LossSums sums) {
  }

  /** After every epoch, with its metrics, the state to checkpoint, and the model (live). */
  default void onEpochEnd(EpochLog log, TrainingState state, Model model) {
  }

  /** With early stopping configured, after the last epoch and before onTrainEnd: how it ended. */
  default void onEarlyStopping(StopSummary summary) {
  }

  /** After the last epoch (or early stop). */
  default void onTrainEnd(History history, Model model) {
  }
}
