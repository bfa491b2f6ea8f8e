/**
 * What a run leaves in its output folder besides the model: the per-epoch history as
 * {@code history.csv} and {@code history.json} ({@link io.sparkprop.cli.report.HistoryFiles}),
 * PNG plots drawn with XChart ({@link io.sparkprop.cli.report.Plots}: training curves, the
 * learning-rate finder's curve, the confusion matrix) and the confusion matrix as text
 * ({@link io.sparkprop.cli.report.ConfusionMatrix}). Every file is written atomically.
 */
package io.sparkprop.cli.report;
