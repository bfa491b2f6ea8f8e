package io.sparkprop.core.optim;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonTypeIdResolver;

/**
 * Optimizer settings (an immutable record) and its update over one index range; {@link
 * Optimizers#step} applies it to the trainable ranges of a layout. In JSON
 * the {@code type} names the optimizer ({@code sgd}, {@code adam}, {@code adamw}, {@code rmsprop},
 * {@code adagrad}); keys left out take PyTorch's defaults.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CUSTOM, property = "type")
@JsonTypeIdResolver(Optimizers.Resolver.class)
public interface Optimizer {

  /** The base learning rate (schedules multiply it). */
  double learningRate();

  /** How many state arrays of the parameter size this optimizer keeps (momentum, second moment). */
  int slots();

  /** The value slot {@code slot} starts at (0 except Adagrad's accumulator). */
  default float initialSlotValue(int slot) {
    return 0f;
  }

  /**
   * Updates {@code p[from, to)} in place from gradient {@code g} (already averaged and clipped;
   * only read) at 1-based step {@code t} with learning rate {@code lr}, using and advancing this
   * optimizer's slots in {@code state}. PyTorch's formulas; float arithmetic with per-step
   * coefficients in double.
   */
  void update(OptimizerState state, float[] p, float[] g, long t, double lr, int from, int to);
}
