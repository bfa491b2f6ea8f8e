/**
 * The distributed parts of a training step and of evaluation. {@link
 * io.sparkprop.spark.train.SparkGradientSource} implements core's
 * {@link io.sparkprop.core.train.GradientSource}: per step it broadcasts the flat parameter
 * vector, runs {@link io.sparkprop.spark.train.StepTask} on every cached partition (its share of
 * the step added into one reused gradient buffer per executor thread) and sums the
 * {@link io.sparkprop.spark.train.StepResult}s in a tree of fixed order ({@link io.sparkprop.spark.train.OrderedTree}).
 * {@link io.sparkprop.spark.train.SparkEvaluator} computes validation loss and accuracy the same
 * way.
 */
package io.sparkprop.spark.train;
