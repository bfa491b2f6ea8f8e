package io.sparkprop.ml;

import io.sparkprop.core.model.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * What the two fitted models share ({@link NeuralNetClassificationModel},
 * {@link NeuralNetRegressionModel}): the trained network, its weights, the training summary, the
 * {@code predictionBlockSize} param and persistence, as default methods over
 * {@link #trainedNetwork()}. An interface because the two models extend different Spark classes
 * ({@code ProbabilisticClassificationModel}, {@code RegressionModel}), so they cannot share a base
 * class; the params come the same way from {@link NeuralNetParams}.
 *
 * @param <M> the model class itself (what the setters return)
 */
public interface NeuralNetModel<M extends NeuralNetModel<M>> extends NeuralNetParams, MLWritable {

  /** The trained network and summary of this model (set once by its constructor). */
  TrainedNetwork trainedNetwork();

  /** Rows per block in {@code transform} (default 1,024; 1 gives the single-row results bit for bit). */
  IntParam predictionBlockSize();

  default int getPredictionBlockSize() {
    return (Integer) getOrDefault(predictionBlockSize());
  }

  @SuppressWarnings("unchecked")
  default M setPredictionBlockSize(int rows) {
    set(predictionBlockSize(), rows);
    return (M) this;
  }

  /** The flat parameter vector (MLlib's {@code weights}). */
  default Vector weights() {
    return trainedNetwork().weights();
  }

  /** A copy of the trained network as a core model (e.g. for {@code ModelIO.save} or serving without Spark). */
  default Model network() {
    return trainedNetwork().model().copy();
  }

  /** True when the training summary is available (after fit, and after loading a saved model). */
  default boolean hasSummary() {
    return trainedNetwork().summary() != null;
  }

  /**
   * The training summary: objective history, epochs run, per-epoch metrics.
   *
   * @throws IllegalStateException when {@link #hasSummary()} is false
   */
  default NeuralNetTrainingSummary summary() {
    if (!hasSummary()) {
      throw new IllegalStateException("no training summary is available for this " + getClass().getSimpleName());
    }
    return trainedNetwork().summary();
  }

  /** Saves the params as MLlib metadata and the network (and summary) as a core model folder. */
  @Override
  default MLWriter write() {
    return new ModelFiles.Writer(this, trainedNetwork().model(), trainedNetwork().summary(),
        trainedNetwork().preprocessing());
  }
}
