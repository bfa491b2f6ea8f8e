/**
 * The training loop. {@link io.sparkprop.core.train.Trainer} runs epochs of synchronous steps
 * and gets each step's summed gradient from a {@link io.sparkprop.core.train.GradientSource}: the
 * in-memory {@link io.sparkprop.core.train.LocalGradientSource} here, a Spark one in
 * spark-driver. Both compute a partition's share of a step with the same
 * {@link io.sparkprop.core.train.PartitionWorker}, so one-partition runs are bit-identical.
 *
 * <p>Name: {@link io.sparkprop.core.train.Evaluator} stays: it is the trainer's seam for
 * validation sums (local or Spark), not a metric chooser as spark.ml's {@code Evaluator}; users
 * meet it only when they write a source of their own.
 */
package io.sparkprop.core.train;
