/**
 * Column helpers shared by the Spark-facing packages: {@link io.sparkprop.spark.data.Columns}
 * quotes a user's column name for Spark's parser.
 *
 * <p>Decision (issue #12): the row-to-block conversion that used to live here
 * ({@code RowFormat}, {@code BlockConverter}, {@code Rebalancer}) moved into
 * {@link io.sparkprop.spark.train}, next to the gradient sources that read its blocks, so that
 * all of it can be package-private; {@link io.sparkprop.spark.train.SparkTraining} is the one
 * public entry. Only what several packages and modules call stays public.
 */
package io.sparkprop.spark.data;
