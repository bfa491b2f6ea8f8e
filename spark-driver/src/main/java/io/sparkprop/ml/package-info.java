/**
 * The spark.ml API: {@link io.sparkprop.ml.NeuralNetClassifier} (a drop-in replacement for
 * MLlib's {@code MultilayerPerceptronClassifier}, producing a probabilistic
 * {@link io.sparkprop.ml.NeuralNetClassificationModel}) and
 * {@link io.sparkprop.ml.NeuralNetRegressor} / {@link io.sparkprop.ml.NeuralNetRegressionModel}.
 * They work in Pipelines, CrossValidator and TrainValidationSplit, are saved and loaded with
 * MLlib's persistence (params as metadata, the network as a core model folder under
 * {@code data/}), and train with {@link io.sparkprop.spark.SparkTrainer}. The shared params are
 * {@link io.sparkprop.ml.NeuralNetParams}, what the two fitted models share (weights, network,
 * summary, persistence) is {@link io.sparkprop.ml.NeuralNetModel}: interfaces with default
 * methods, since the estimators and models extend different Spark classes; {@link io.sparkprop.core.model.ModelConfig} is the JSON form
 * of a network; {@link io.sparkprop.ml.NeuralNetTrainingSummary} is what training reports.
 */
package io.sparkprop.ml;
