package io.sparkprop.ml;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
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
 * {@code checkpointInterval}, {@code validationIndicatorCol}, {@code weightCol}); the rest ({@code sync}, ...) are ours. The param
 * objects and their defaults are created by {@link NeuralNetParamSet}; defaults come from
 * {@code TrainingConfig.DEFAULTS} and {@code SparkOptions.DEFAULTS}, so they are defined once.
 */
public interface NeuralNetParams extends Params {

  /** The param objects of this instance (created once by its constructor). */
  NeuralNetParamSet paramSet();

  /** Layer sizes {@code [inputs, hidden..., outputs]}; hidden layers are Dense + ReLU. */
  default IntArrayParam layers() {
    return paramSet().layers;
  }

  /** The network as JSON: {@code {"layers": [...], "loss": {...}, "inputShape": [...], "seed": n}}. */
  default Param<String> modelConfig() {
    return paramSet().modelConfig;
  }

  /** The training settings as JSON (core {@code TrainingConfig}: optimizer, schedule, ...). */
  default Param<String> trainingConfig() {
    return paramSet().trainingConfig;
  }

  /** Epochs. */
  default IntParam maxIter() {
    return paramSet().maxIter;
  }

  /** Global mini-batch size. */
  default IntParam blockSize() {
    return paramSet().blockSize;
  }

  /** Learning rate. */
  default DoubleParam stepSize() {
    return paramSet().stepSize;
  }

  /** Seed of initialisation, shuffles and dropout. */
  default LongParam seed() {
    return paramSet().seed;
  }

  /** Optimizer name. */
  default Param<String> solver() {
    return paramSet().solver;
  }

  /** Smallest improvement that counts for early stopping. */
  default DoubleParam tol() {
    return paramSet().tol;
  }

  /** Epochs without improvement before stopping; 0 = no early stopping. */
  default IntParam earlyStoppingPatience() {
    return paramSet().earlyStoppingPatience;
  }

  /** Fraction of the training rows held out for validation. */
  default DoubleParam validationFraction() {
    return paramSet().validationFraction;
  }

  /** Boolean column marking validation rows. */
  default Param<String> validationIndicatorCol() {
    return paramSet().validationIndicatorCol;
  }

  /** Initial flat parameter vector. */
  default Param<Vector> initialWeights() {
    return paramSet().initialWeights;
  }

  /** Partitions to train on; 0 = one per core. */
  default IntParam numPartitions() {
    return paramSet().numPartitions;
  }

  /** Tree depth of the gradient sum; 0 = automatic. */
  default IntParam aggregationDepth() {
    return paramSet().aggregationDepth;
  }

  /** Hadoop path of the checkpoint file. */
  default Param<String> checkpointPath() {
    return paramSet().checkpointPath;
  }

  /** Epochs between checkpoints. */
  default IntParam checkpointInterval() {
    return paramSet().checkpointInterval;
  }

  /** Column of each training row's weight (spark.ml's {@code weightCol}); unset or empty = all 1. */
  default Param<String> weightCol() {
    return paramSet().weightCol;
  }

  default String getWeightCol() {
    return getOrDefault(weightCol());
  }

  default BooleanParam standardize() {
    return paramSet().standardize;
  }

  default boolean getStandardize() {
    return (Boolean) getOrDefault(standardize());
  }

  /** Synchronisation mode: auto, jobs or barrier. */
  default Param<String> sync() {
    return paramSet().sync;
  }

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

  default String getSync() {
    return getOrDefault(sync());
  }
}
