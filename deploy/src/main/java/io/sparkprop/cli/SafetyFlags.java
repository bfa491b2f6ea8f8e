package io.sparkprop.cli;

import picocli.CommandLine.Option;

/**
 * The flags of {@code train} that accept what is otherwise refused: replacing a run, a
 * continuation that differs from the interrupted run, and a run whose loss diverged.
 */
public final class SafetyFlags {
  @Option(names = "--overwrite",
      description = "Replace the run in the output folder (by default a folder holding a run is refused).")
  boolean overwrite;

  @Option(names = "--force",
      description = "Resume although the data size, batch size or limit differ from the interrupted run's.")
  boolean force;

  @Option(names = "--allow-divergence",
      description = "Exit 0 even when the loss ended far above the first epoch's (otherwise a warning and exit 1).")
  boolean allowDivergence;
}
