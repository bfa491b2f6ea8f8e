/**
 * In-memory data: {@link io.sparkprop.core.data.DataSet} (dense float features and labels of
 * many samples, also the cached block of one Spark partition) and its validation. The IDX
 * reader for MNIST-style files is {@link io.sparkprop.core.io.IdxReader}.
 */
package io.sparkprop.core.data;
