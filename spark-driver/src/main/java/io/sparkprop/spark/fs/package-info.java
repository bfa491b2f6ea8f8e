/**
 * Files on any Hadoop file system: {@link io.sparkprop.spark.fs.HadoopFiles} is the one atomic
 * writer of the Spark module (checkpoints and saved spark.ml models use it), with failures
 * reported as {@code cannot write <path>: <reason>}.
 */
package io.sparkprop.spark.fs;
