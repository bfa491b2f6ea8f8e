package io.sparkprop.cli;

import picocli.CommandLine.Option;

/** Where and how a training command runs: backend, master, progress display, Spark's logging. */
public final class RuntimeOptions {
  /** Where the training steps run. */
  public enum Backend {
    /** Spark (local mode by default, or the cluster of --master / spark-submit). */
    spark,
    /** This JVM, without Spark. */
    local
  }

  @Option(names = "--backend", paramLabel = "spark|local",
      description = "Where training steps run: spark (default; local mode unless --master or spark-submit "
          + "say otherwise) or local (this JVM, no Spark).")
  Backend backend = Backend.spark;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master. Default: spark.master when already set (spark-submit), else the config's "
          + "spark.master, else local[*].")
  String master;

  @Option(names = "--progress", paramLabel = "auto|bar|log|none",
      description = "Progress during an epoch: a bar on a terminal, plain lines in logs (default auto).")
  Progress.Mode progress = Progress.Mode.AUTO;

  @Option(names = "--verbose-spark", description = "Show Spark's own INFO logging (turned down by default).")
  boolean verboseSpark;
}
