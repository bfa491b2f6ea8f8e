/**
 * Turning Spark rows into the dense float blocks of trainer-core: {@link
 * io.sparkprop.spark.data.BlockConverter} reads each partition once into a
 * {@link io.sparkprop.core.data.DataSet} (validated with the partition and row in every
 * message), optionally rebalances the blocks over a target number of partitions
 * deterministically, and caches one {@link io.sparkprop.core.train.PartitionWorker} per
 * partition. {@link io.sparkprop.spark.data.ModelSpec} carries the architecture and loss to the
 * executors as JSON.
 */
package io.sparkprop.spark.data;
