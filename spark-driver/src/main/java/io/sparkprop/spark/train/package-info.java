/**
 * The distributed parts of a training step and of evaluation, in two sync modes that compute the
 * same floats.
 *
 * <p>Jobs mode: {@link io.sparkprop.spark.train.SparkGradientSource} implements core's
 * {@link io.sparkprop.core.train.GradientSource}: per step it broadcasts the flat parameter
 * vector, runs {@link io.sparkprop.spark.train.StepTask} on every cached partition (its share of
 * the step added into one reused gradient buffer per executor thread) as one
 * {@code SparkContext.runJob} ({@link io.sparkprop.spark.train.Jobs}), and sums the
 * {@link io.sparkprop.spark.train.StepResult}s in partition order on the driver, or through a
 * tree of shuffles of fixed order ({@link io.sparkprop.spark.train.OrderedTree}) for many
 * partitions.
 *
 * <p>Barrier mode: {@link io.sparkprop.spark.train.BarrierGradientSource} runs one barrier stage
 * per epoch ({@link io.sparkprop.spark.train.BarrierStage}) whose tasks
 * ({@link io.sparkprop.spark.train.BarrierTask}) stay up and exchange θ and gradient sums with
 * the driver over {@link io.sparkprop.spark.train.Links}: in the driver's JVM
 * ({@link io.sparkprop.spark.train.LocalHub}) or over TCP
 * ({@link io.sparkprop.spark.train.SocketHub}, checked {@link io.sparkprop.spark.train.Frame}s);
 * it falls back to jobs mode per step when no stage can be scheduled or one fails.
 *
 * <p>{@link io.sparkprop.spark.train.SparkEvaluator} computes validation loss and accuracy as a
 * job over the cached validation blocks.
 */
package io.sparkprop.spark.train;
