/**
 * The run configuration file of the command-line program: one JSON (or YAML) document with the
 * sections {@code model}, {@code training}, {@code data}, {@code spark}, {@code checkpoint} and
 * {@code output} ({@link io.sparkprop.cli.config.RunConfig}), read strictly by
 * {@link io.sparkprop.cli.config.ConfigLoader}: unknown keys, wrong types, out-of-range values and
 * missing files are reported with the key path and what was expected, before Spark starts.
 * Command-line overrides ({@code --set training.epochs=5}) are applied to the parsed tree before
 * it is bound, so they are checked the same way. A data source
 * ({@link io.sparkprop.cli.config.DataSource}) only names a format, paths and options; the one
 * data layer, {@link io.sparkprop.ml.data.DataSources}, reads them on the executors.
 */
package io.sparkprop.cli.config;
