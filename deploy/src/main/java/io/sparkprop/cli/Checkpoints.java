package io.sparkprop.cli;

/**
 * Checkpointing of a training run: write the full training state (parameters, optimizer state,
 * epoch, history) to {@code path} every {@code every} epochs and after the last; continue from
 * {@code resumeFrom} when set. Paths are Hadoop paths ({@code hdfs://...}, {@code file:/...}, or
 * relative to the default file system).
 *
 * @param path       checkpoint file to write, or null for none
 * @param every      epochs between checkpoints (>= 1)
 * @param resumeFrom checkpoint file to continue from, or null to start afresh
 */
record Checkpoints(String path, int every, String resumeFrom) {
  /** Neither writing nor resuming. */
  static final Checkpoints NONE = new Checkpoints(null, 1, null);
}
