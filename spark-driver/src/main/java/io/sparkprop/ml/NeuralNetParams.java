package io.sparkprop.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params shared by {@link NeuralNetClassifier}, {@link NeuralNetRegressor} and their models
 * (the models carry them as MLlib's models do). Names follow Spark's conventions where Spark has
 * one ({@code maxIter}, {@code blockSize}, {@code stepSize}, {@code seed}, {@code solver},
 * {@code tol}, {@code layers}, {@code initialWeights}, {@code aggregationDepth},
 * {@code checkpointInterval}, {@code validationIndicatorCol}); the rest are ours. The param
 * objects and their defaults are created by {@link NeuralNetParamSet}; defaults come from
 * {@code TrainingConfig.DEFAULTS} and {@code SparkOptions.DEFAULTS}, so they are defined once.
 */
public interface NeuralNetParams extends Params {

  /** Layer sizes {@code [inputs, hidden..., outputs]}; hidden layers are Dense + ReLU. */
  IntArrayParam layers();

  /** The network as JSON: {@code {"layers": [...], "loss": {...}, "inputShape": [...], "seed": n}}. */
  Param<String> modelConfig();

  /** The training settings as JSON (core {@code TrainingConfig}: optimizer, schedule, ...). */
  Param<String> trainingConfig();

  /** Epochs. */
  IntParam maxIter();

  /** Global mini-batch size. */
  IntParam blockSize();

  /** Learning rate. */
  DoubleParam stepSize();

  /** Seed of initialisation, shuffles and dropout. */
  LongParam seed();

  /** Optimizer name. */
  Param<String> solver();

  /** Smallest improvement that counts for early stopping. */
  DoubleParam tol();

  /** Epochs without improvement before stopping; 0 = no early stopping. */
  IntParam earlyStoppingPatience();

  /** Fraction of the training rows held out for validation. */
  DoubleParam validationFraction();

  /** Boolean column marking validation rows. */
  Param<String> validationIndicatorCol();

  /** Initial flat parameter vector. */
  Param<Vector> initialWeights();

  /** Partitions to train on; 0 = one per core. */
  IntParam numPartitions();

  /** Tree depth of the gradient sum; 0 = automatic. */
  IntParam aggregationDepth();

  /** Hadoop path of the checkpoint file. */
  Param<String> checkpointPath();

  /** Epochs between checkpoints. */
  IntParam checkpointInterval();

  default int[] getLayers() {
    return getOrDefault(layers());
  }

  default String getModelConfig() {
    return getOrDefault(modelConfig());
  }

  default String getTrainingConfig() {
    return getOrDefault(trainingConfig());
  }

  default int getMaxIter() {
    return (Integer) getOrDefault(maxIter());
  }

  default int getBlockSize() {
    return (Integer) getOrDefault(blockSize());
  }

  default double getStepSize() {
    return (Double) getOrDefault(stepSize());
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  default String getSolver() {
    return getOrDefault(solver());
  }

  default double getTol() {
    return (Double) getOrDefault(tol());
  }

  default int getEarlyStoppingPatience() {
    return (Integer) getOrDefault(earlyStoppingPatience());
  }

  default double getValidationFraction() {
    return (Double) getOrDefault(validationFraction());
  }

  default String getValidationIndicatorCol() {
    return getOrDefault(validationIndicatorCol());
  }

  default Vector getInitialWeights() {
    return getOrDefault(initialWeights());
  }

  default int getNumPartitions() {
    return (Integer) getOrDefault(numPartitions());
  }

  default int getAggregationDepth() {
    return (Integer) getOrDefault(aggregationDepth());
  }

  default String getCheckpointPath() {
    return getOrDefault(checkpointPath());
  }

  default int getCheckpointInterval() {
    return (Integer) getOrDefault(checkpointInterval());
  }
}
