/**
 * Training data from files for the spark.ml API and the CLI:
 * {@link io.sparkprop.ml.data.DataSources#load} reads LIBSVM, CSV, JSON lines, Parquet and IDX
 * images from any Hadoop file system into a DataFrame of {@code features} (vector) and
 * {@code label} (double, or string), optionally a sample {@code weight}, or labelled texts
 * ({@code text}), on the executors, reporting bad data with the file, line/row and column.
 */
package io.sparkprop.ml.data;
