package io.sparkprop.ml;

import io.sparkprop.core.data.Preprocessing;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import java.io.Serializable;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * A trained core {@link Model} in a form Spark can ship inside a model's prediction UDFs: the
 * architecture, the loss (both serializable) and the flat parameters. The core model (with its
 * network workspaces) is rebuilt lazily once per deserialised copy. The parameters are never
 * changed after training. Also holds the training summary for the driver (transient: it does not
 * travel to the executors, nor survive Java serialization of the model).
 *
 * <p>Public only because {@link NeuralNetModel#trainedNetwork()} returns it (the interface's
 * default methods read it); its members are package-private.
 */
public final class TrainedNetwork implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Sequential architecture;
  private final Loss loss;
  private final float[] params;
  private final Preprocessing preprocessing;
  private final transient NeuralNetTrainingSummary summary;
  private transient Model model;

  TrainedNetwork(Model model, NeuralNetTrainingSummary summary) {
    this(model, summary, null);
  }

  /** With the feature standardisation applied before the network ({@code standardize}); null: none. */
  TrainedNetwork(Model model, NeuralNetTrainingSummary summary, Preprocessing preprocessing) {
    this.preprocessing = preprocessing == null ? Preprocessing.NONE : preprocessing;
    this.architecture = model.architecture();
    this.loss = model.loss();
    this.params = model.params();
    this.summary = summary;
    this.model = model;
  }

  /** The training summary, or null when none is available. */
  NeuralNetTrainingSummary summary() {
    return summary;
  }

  /** The core model (shared; do not train it further). */
  synchronized Model model() {
    if (model == null) {
      model = new Model(architecture, loss, params);
    }
    return model;
  }

  /** The standardisation applied to features before the network ({@link Preprocessing#NONE}: none). */
  Preprocessing preprocessing() {
    return preprocessing;
  }

  /** Values per features vector. */
  int inputSize() {
    return architecture.inputShape().size();
  }

  /** Network outputs per sample. */
  int outputSize() {
    return architecture.outputShape().size();
  }

  /** The flat parameters as a dense vector (MLlib's {@code weights}). */
  Vector weights() {
    double[] d = new double[params.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = params[i];
    }
    return new DenseVector(d);
  }

  /**
   * The raw network outputs for one features vector (dense or sparse; sparse vectors are
   * densified).
   *
   * @throws IllegalArgumentException when the vector's size is not the network's input size
   */
  float[] predictRaw(Vector features) {
    int n = inputSize();
    float[] x = new float[n];
    BlockTransform.copy(features, x, 0, n);
    preprocessing.standardize(x, 1);
    return model().predictRaw(x, 1);
  }
}
