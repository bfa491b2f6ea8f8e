/**
 * Training checkpoints on any Hadoop file system: {@link
 * io.sparkprop.spark.checkpoint.CheckpointCodec} lays out parameters, optimizer state, epoch,
 * step, seed and history in one binary file with a CRC; {@link
 * io.sparkprop.spark.checkpoint.HadoopCheckpoints} writes it atomically (temp file, hsync,
 * rename with overwrite) and reads it back; {@link
 * io.sparkprop.spark.checkpoint.CheckpointListener} writes one every N epochs and at the end.
 */
package io.sparkprop.spark.checkpoint;
