package io.sparkprop.core.train;

import io.sparkprop.core.loss.LossSums;

/** Loss and accuracy sums of parameters on some data (validation), local or distributed. */
@FunctionalInterface
public interface Evaluator {
  LossSums evaluate(float[] params);
}
