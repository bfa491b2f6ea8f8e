/**
 * Data-parallel training on Spark. {@link io.sparkprop.spark.SparkTrainer} converts a
 * {@code Dataset<Row>} (or a {@code JavaRDD<LabeledPoint>}) once into cached dense float blocks,
 * then runs the single-JVM trainer's loop ({@link io.sparkprop.core.train.Trainer}) with a
 * gradient source: each step the parameters reach the partitions (a Spark job per step, or a
 * barrier stage per run with a channel of its own), each partition computes its share of the
 * step's global batch, the gradients are summed in a fixed order (partition order, or a tree
 * shaped like {@code treeReduce}'s), the driver takes the optimizer step.
 * {@link io.sparkprop.spark.SparkOptions} holds the Spark-side settings (columns, partitions,
 * aggregation depth, checkpoints, sync mode).
 */
package io.sparkprop.spark;
