/**
 * The distributed parts of a training step and of evaluation. {@link
 * io.sparkprop.spark.train.SparkGradientSource} implements core's
 * {@link io.sparkprop.core.train.GradientSource}: per step it broadcasts the flat parameter
 * vector, runs {@link io.sparkprop.spark.train.StepTask} on every cached partition (its share of
 * the step added into one reused gradient buffer per executor thread) as one
 * {@code SparkContext.runJob} ({@link io.sparkprop.spark.train.Jobs}), and sums the
 * {@link io.sparkprop.spark.train.StepResult}s in partition order on the driver, or through a
 * tree of shuffles of fixed order ({@link io.sparkprop.spark.train.OrderedTree}) for many
 * partitions. {@link io.sparkprop.spark.train.SparkEvaluator} computes validation loss and
 * accuracy the same way.
 */
package io.sparkprop.spark.train;
