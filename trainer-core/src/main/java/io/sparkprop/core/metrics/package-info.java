/**
 * Evaluation metrics as mergeable sums: one pass over the data, one {@link
 * io.sparkprop.core.metrics.MetricSums} per partition ({@code add} a batch of raw outputs and
 * labels, {@code merge} another), the values computed once from the merged sums. So the
 * single-JVM trainer, Spark and any other front end report the same numbers.
 *
 * <p>Classification ({@link io.sparkprop.core.metrics.ClassificationSums}): accuracy, top-k
 * accuracy, log-loss, per-class precision, recall and F1 with macro and weighted averages, and
 * for binary tasks ROC AUC and PR AUC (average precision) from fixed-bin histograms of the
 * log-odds. Regression ({@link io.sparkprop.core.metrics.RegressionSums}): MSE, RMSE, MAE and
 * R². Definitions follow scikit-learn's defaults.
 */
package io.sparkprop.core.metrics;
