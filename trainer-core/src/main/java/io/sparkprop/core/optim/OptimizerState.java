package io.sparkprop.core.optim;

import java.util.Arrays;

/**
 * The optimizer's state: the step count and its slot arrays (momentum buffer, first and second
 * moments), each as long as the parameter vector and indexed by the same layout.
 */
public final class OptimizerState {
  private long step;
  private final float[][] slots;

  public OptimizerState(long step, float[][] slots) {
    this.step = step;
    this.slots = slots;
  }

  /**
   * Fresh state for {@code optimizer} over {@code size} parameters: step 0, each slot filled with
   * its initial value (0, or Adagrad's initial accumulator).
   */
  public static OptimizerState create(Optimizer optimizer, int size) {
    float[][] s = new float[optimizer.slots()][];
    for (int i = 0; i < s.length; i++) {
      s[i] = new float[size];
      Arrays.fill(s[i], optimizer.initialSlotValue(i));
    }
    return new OptimizerState(0, s);
  }

  /** Steps taken so far. */
  public long step() {
    return step;
  }

  /** Counts one more step and returns the new count (t in the bias corrections). */
  long advance() {
    return ++step;
  }

  /** Slot {@code i}. */
  public float[] slot(int i) {
    return slots[i];
  }

  /** Number of slots. */
  public int slotCount() {
    return slots.length;
  }

  /** A deep copy. */
  public OptimizerState copy() {
    float[][] s = new float[slots.length][];
    for (int i = 0; i < s.length; i++) {
      s[i] = slots[i].clone();
    }
    return new OptimizerState(step, s);
  }
}
