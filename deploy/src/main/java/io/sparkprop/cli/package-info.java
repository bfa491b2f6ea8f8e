/**
 * The command-line program {@code sparkprop} ({@link io.sparkprop.cli.Main}): subcommands
 * {@code train}, {@code evaluate}, {@code predict}, {@code summary}, {@code lr-find} and {@code export}, usable
 * with {@code java -jar} (Spark local mode) and as the main class of a spark-submit job. A run is
 * described by one config file (package {@link io.sparkprop.cli.config}); its data is read by the
 * executors as DataFrames ({@link io.sparkprop.cli.Inputs}), preprocessed
 * ({@link io.sparkprop.cli.Preprocessing}, saved with the model) and scored there
 * ({@link io.sparkprop.cli.Scoring}); training goes through a
 * {@link io.sparkprop.cli.TrainingBackend} (Spark or this JVM), shows progress
 * ({@link io.sparkprop.cli.Progress}) and leaves the model, history, plots and metrics in an
 * output folder ({@link io.sparkprop.cli.RunFolder}, package {@link io.sparkprop.cli.report}).
 * What a user can get wrong is refused before Spark starts or before epoch 1 with one line
 * ({@link io.sparkprop.cli.Preflight}, {@link io.sparkprop.cli.ResumeCheck}); a run folder is locked
 * and never overwritten silently ({@link io.sparkprop.cli.OutputFolder}). Started by {@code java -jar}, the
 * program starts itself once more with single-threaded BLAS and JVM options for a short local run
 * ({@link io.sparkprop.cli.BlasThreads}, {@link io.sparkprop.cli.LaunchFlags}).
 *
 * <p>It lives in the deploy module, the application, so that its libraries (picocli, the progress
 * bar, XChart) never reach spark.ml users who depend on spark-driver.
 */
package io.sparkprop.cli;
