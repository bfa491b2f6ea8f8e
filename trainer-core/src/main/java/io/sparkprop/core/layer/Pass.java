package io.sparkprop.core.layer;

import io.sparkprop.core.tensor.Rng;

/**
 * What a forward/backward pass is for: training (dropout active, batch statistics) or inference,
 * and the random stream of this step (re-seeded per step from seed, epoch, step and partition).
 */
public final class Pass {
  private final boolean training;
  private final Rng rng = new Rng(0L);

  public Pass(boolean training) {
    this.training = training;
  }

  /** True while training. */
  public boolean training() {
    return training;
  }

  /** This step's random stream. */
  public Rng rng() {
    return rng;
  }
}
