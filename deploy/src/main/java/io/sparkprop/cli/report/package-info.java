/**
 * What a run leaves in its output folder besides the model: the per-epoch history as
 * {@code history.csv} and {@code history.json} ({@link io.sparkprop.cli.report.HistoryFiles}),
 * PNG plots ({@link io.sparkprop.cli.report.Plots}: training curves with the learning rate and the
 * marked epoch of {@link io.sparkprop.cli.report.EpochMarker}, and the learning-rate finder's
 * curve, drawn with XChart; the confusion matrix, counts and row shares, drawn with Java2D by
 * {@code ConfusionPlot}) and the confusion matrix as text
 * ({@link io.sparkprop.cli.report.ConfusionMatrix}). Every file is written atomically.
 */
package io.sparkprop.cli.report;
