/**
 * Turning Spark rows into the dense float blocks of trainer-core: {@link
 * io.sparkprop.spark.data.BlockConverter} reads each partition once into a
 * {@link io.sparkprop.core.data.DataSet} (validated with the partition and row in every
 * message, {@link io.sparkprop.spark.data.RowFormat} says where the values are), passes the
 * blocks through one deterministic shuffle onto the target number of partitions
 * ({@link io.sparkprop.spark.data.Rebalancer}), and caches one
 * {@link io.sparkprop.core.train.PartitionWorker} per partition. The architecture and loss travel to the executors inside
 * the tasks as they are (core's layers, losses and {@code Sequential} are serializable).
 */
package io.sparkprop.spark.data;
