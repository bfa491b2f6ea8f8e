/**
 * In-memory data: {@link io.sparkprop.core.data.DataSet} (dense float features and labels of
 * many samples, also the cached block of one Spark partition) and its validation. The IDX
 * reader for MNIST-style files is {@link io.sparkprop.core.io.IdxReader}. A data set may hold int
 * token ids instead of features, and per-sample sequence lengths (see the layer package: they
 * reach the layers through the pass, never as floats).
 */
package io.sparkprop.core.data;
