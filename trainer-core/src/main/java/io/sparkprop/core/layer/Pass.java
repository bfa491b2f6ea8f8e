package io.sparkprop.core.layer;

import io.sparkprop.core.tensor.Gemm;
import io.sparkprop.core.tensor.Gemms;
import io.sparkprop.core.tensor.Rng;

/**
 * What a forward/backward pass is for: training (dropout active, batch statistics) or inference,
 * the random stream of this step (re-seeded per step from seed, epoch, step and partition), and
 * what the batch carries besides its floats: the real length of each sample's sequence (steps at
 * and past it are padding, which sequence layers mask) and, for token models, the int ids that
 * the first layer ({@link Embedding}) reads instead of its float input. It also carries the
 * {@link Gemm} of the forward pass: BLAS ({@link Gemms#best()}) for training, or for inference
 * whose results must not depend on the batch a row-stable kernel
 * ({@link io.sparkprop.core.tensor.StableGemm}). Backward passes always use BLAS.
 */
public final class Pass {
  private final boolean training;
  private final Gemm gemm;
  private final Rng rng = new Rng(0L);
  private int[] lengths;
  private int[] ids;

  /** A pass whose forward GEMMs go through BLAS ({@link Gemms#best()}). */
  public Pass(boolean training) {
    this(training, Gemms.best());
  }

  /** A pass whose forward GEMMs go through {@code gemm}. */
  public Pass(boolean training, Gemm gemm) {
    this.training = training;
    this.gemm = gemm;
  }

  /** The GEMM of the forward pass (the layers' batch products). */
  public Gemm gemm() {
    return gemm;
  }

  /** True while training. */
  public boolean training() {
    return training;
  }

  /** This step's random stream. */
  public Rng rng() {
    return rng;
  }

  /**
   * Real steps per sample of the current batch ({@code lengths[r]} for sample r, at least 1), or
   * null when every step of every sample is real. Set by the network before each forward pass.
   */
  public int[] lengths() {
    return lengths;
  }

  /** Sets {@link #lengths()} for the next forward and backward pass (null: no padding). */
  public void setLengths(int[] lengths) {
    this.lengths = lengths;
  }

  /**
   * The token ids {@code [batch, T]} of the current batch (row-major, 0 = padding), or null when
   * the input is floats. Ids travel as ints from the data to the {@link Embedding}, which reads
   * them here; its float input is then unused. Set by the network before each forward pass.
   */
  public int[] ids() {
    return ids;
  }

  /** Sets {@link #ids()} for the next forward and backward pass (null: float input). */
  public void setIds(int[] ids) {
    this.ids = ids;
  }
}
