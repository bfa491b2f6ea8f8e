package io.sparkprop.spark.checkpoint;

import io.sparkprop.core.train.TrainingState;

/**
 * What a resumed run needs to continue exactly where a run stopped.
 *
 * @param seed             the training seed (shuffles and dropout are functions of it, the
 *                         epoch, step and partition: it is the whole random state)
 * @param architectureJson the model's architecture, to check that a resume trains the same model
 * @param params           the flat parameter vector after {@code state.completedEpochs()} epochs
 * @param state            completed epochs, global step, optimizer state, history, schedule and
 *                         early-stopping state
 */
public record Checkpoint(long seed, String architectureJson, float[] params, TrainingState state) {
}
