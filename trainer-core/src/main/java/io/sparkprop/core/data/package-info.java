/**
 * In-memory data: {@link io.sparkprop.core.data.DataSet} (dense float features and labels of
 * many samples, also the cached block of one Spark partition), its validation, and the IDX
 * reader for MNIST-style files.
 */
package io.sparkprop.core.data;
