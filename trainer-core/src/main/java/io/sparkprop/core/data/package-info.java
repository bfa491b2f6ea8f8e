/**
 * In-memory data: {@link io.sparkprop.core.data.DataSet} (dense float features and labels of
 * many samples, also the cached block of one Spark partition) and its validation. The IDX
 * reader for MNIST-style files is {@link io.sparkprop.core.io.IdxReader}. A data set may hold int
 * token ids instead of features, and per-sample sequence lengths (see the layer package: they
 * reach the layers through the pass, never as floats). {@link io.sparkprop.core.data.Preprocessing}
 * describes the standardisation and label mapping saved with a model (fitted by the command line).
 * {@link io.sparkprop.core.data.SampleStore} is what a training step reads samples from, one row
 * at a time: a {@code DataSet}, or spark-driver's memory-mapped partition files.
 *
 * <p>Name: {@code DataSet} stays, although Spark has {@code Dataset}. It is trainer-core's own
 * type (no Spark here), the one a Keras-style user hands to {@code fit}; in spark-driver it only
 * appears as the cached block of a partition, where code calls such variables {@code block} or
 * {@code data} and Spark's {@code Dataset<Row>} {@code df}/{@code rows}, and a file that needs
 * both imports Spark's and names ours by its package.
 */
package io.sparkprop.core.data;
