/**
 * Data-parallel training on Spark. {@link io.sparkprop.spark.SparkTrainer} converts a
 * {@code Dataset<Row>} (or a {@code JavaRDD<LabeledPoint>}) once into cached dense float blocks,
 * then runs the single-JVM trainer's loop ({@link io.sparkprop.core.train.Trainer}) with a
 * gradient source whose every step is one Spark job: broadcast the parameters, each partition
 * computes its share of the step's global batch, a tree aggregation (shaped like
 * {@code treeReduce}, but adding in a fixed order) sums the gradients to the driver, the driver
 * takes the optimizer step. {@link io.sparkprop.spark.SparkOptions} holds the
 * Spark-side settings (columns, partitions, aggregation depth, checkpoints).
 */
package io.sparkprop.spark;
