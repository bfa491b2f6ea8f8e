package io.sparkprop.core.optim;

import io.sparkprop.core.io.TypeRegistry;

/**
 * One optimizer step over flat arrays, applied to index ranges ({@code ranges = [from0, to0,
 * from1, to1, ...]}, the trainable part of the layout), shared by the local trainer, the Spark
 * driver and the tests. Each optimizer record owns its update loop ({@link Optimizer#update});
 * this class checks the state, counts the step and walks the ranges. Nothing is allocated per
 * step. It also holds the JSON names of the optimizers ({@link #registry}).
 */
public final class Optimizers {
  private static final TypeRegistry<Optimizer> REGISTRY = new TypeRegistry<>(Optimizer.class)
      .register("sgd", SGD.class)
      .register("adam", Adam.class)
      .register("adamw", AdamW.class)
      .register("rmsprop", RMSProp.class)
      .register("adagrad", Adagrad.class);

  private Optimizers() {
  }

  /**
   * One update of {@code p} in place from gradient {@code g} (already averaged and clipped) with
   * learning rate {@code lr}, over {@code ranges} only; advances the state's step count once.
   * {@code g} is only read.
   *
   * @throws IllegalArgumentException when the state does not belong to this optimizer and size
   */
  public static void step(Optimizer o, OptimizerState s, float[] p, float[] g, double lr, int[] ranges) {
    checkState(o, s, p.length);
    long t = s.advance();
    for (int r = 0; r < ranges.length; r += 2) {
      o.update(s, p, g, t, lr, ranges[r], ranges[r + 1]);
    }
  }

  private static void checkState(Optimizer o, OptimizerState s, int size) {
    if (s.slotCount() != o.slots()) {
      throw new IllegalArgumentException("optimizer state has " + s.slotCount() + " slots but " + o
          + " needs " + o.slots() + " (state saved with other optimizer settings?)");
    }
    for (int k = 0; k < s.slotCount(); k++) {
      if (s.slot(k).length != size) {
        throw new IllegalArgumentException("optimizer state slot " + k + " has " + s.slot(k).length
            + " values but the parameter vector has " + size);
      }
    }
  }

  /** Requires {@code 0 < v < ∞}. */
  static void checkPositive(String optimizer, String field, double v) {
    if (!(v > 0 && v < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(optimizer + ": " + field + " must be a finite number > 0, got " + v);
    }
  }

  /** Requires {@code 0 ≤ v < ∞}. */
  static void checkNonNegative(String optimizer, String field, double v) {
    if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(optimizer + ": " + field + " must be a finite number >= 0, got " + v);
    }
  }

  /** Requires {@code 0 ≤ v < 1}. */
  static void checkFraction(String optimizer, String field, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException(optimizer + ": " + field + " must be in [0, 1), got " + v);
    }
  }

  /** The registry: {@code registry().register("my_kind", MyKind.class)} adds a kind. */
  public static TypeRegistry<Optimizer> registry() {
    return REGISTRY;
  }

  /** Jackson's view of the registry (named by {@link Optimizer}'s annotations). */
  public static final class Resolver extends TypeRegistry.Resolver {
    public Resolver() {
      super(REGISTRY);
    }
  }
}
