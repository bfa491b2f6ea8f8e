package io.sparkprop.core.train;

/**
 * Cumulative wall time of the parts of a step, in nanoseconds: broadcasting the parameters,
 * computing gradients (executors), aggregating them, and the driver's update. Mutable; read
 * differences between epochs.
 */
public final class Timings {
  /** A source that does not measure. */
  public static final Timings NONE = new Timings();

  /** The parts of a step. */
  public enum Phase { BROADCAST, COMPUTE, AGGREGATE, UPDATE }

  private final long[] nanos = new long[Phase.values().length];

  /** Adds {@code ns} to a phase. */
  public void add(Phase p, long ns) {
    if (this != NONE) {
      nanos[p.ordinal()] += ns;
    }
  }

  /** Total nanoseconds of a phase so far. */
  public long nanos(Phase p) {
    return nanos[p.ordinal()];
  }

  /** A copy of the current totals. */
  public long[] snapshot() {
    return nanos.clone();
  }
}
