package io.sparkprop.core.data;

/**
 * Samples a training step reads one at a time, in any order: an in-memory {@link DataSet}, or
 * (in spark-driver) a partition's samples in memory-mapped local files, so that a step copies
 * only the rows of its slice and data larger than the JVM heap trains at page-cache or disk
 * speed. Whatever the store, the floats and ids copied are the same, so results are the same.
 */
public interface SampleStore {
  /** Number of samples. */
  int size();

  /** Floats (or token ids) per sample. */
  int featureSize();

  /** Floats per label. */
  int labelWidth();

  /** True when the samples are int token ids. */
  boolean isTokens();

  /** True when each sample carries its sequence length. */
  boolean hasLengths();

  /** True when each sample carries a weight. */
  boolean isWeighted();

  /**
   * Copies sample {@code row} into slot {@code slot} of a batch: its features into
   * {@code x[slot·F, (slot+1)·F)} (or its ids into {@code ids}, for token data), its label into
   * {@code y[slot·L, (slot+1)·L)}, and its length and weight into {@code lengths[slot]} and
   * {@code w[slot]} when it has them (the arrays not needed may be null). Allocates nothing.
   */
  void copySample(int row, int slot, float[] x, int[] ids, int[] lengths, float[] y, float[] w);
}
