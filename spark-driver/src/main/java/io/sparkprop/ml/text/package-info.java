/**
 * Text for spark.ml: {@link io.sparkprop.ml.text.TextVectorizer} (an Estimator whose vocabulary is
 * counted with Spark, {@link io.sparkprop.ml.text.SparkTextVocabulary}) fits a
 * {@link io.sparkprop.ml.text.TextVectorizerModel} that turns a string column into an
 * {@code array<int>} column of token ids, the core {@link io.sparkprop.core.text.TextVectorizer}'s.
 */
package io.sparkprop.ml.text;
