package io.sparkprop.ml;

import io.sparkprop.core.model.Model;
import io.sparkprop.spark.data.ModelSpec;
import java.io.Serializable;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * A trained core {@link Model} in a form Spark can ship inside a model's prediction UDFs: the
 * architecture and loss as JSON ({@link ModelSpec}) and the flat parameters. The core model is
 * rebuilt lazily once per deserialised copy. The parameters are never changed after training.
 */
final class TrainedNetwork implements Serializable {
  private static final long serialVersionUID = 1L;
  private final ModelSpec spec;
  private final float[] params;
  private transient Model model;

  TrainedNetwork(Model model) {
    this.spec = ModelSpec.of(model.architecture(), model.loss());
    this.params = model.params();
    this.model = model;
  }

  /** The core model (shared; do not train it further). */
  synchronized Model model() {
    if (model == null) {
      model = new Model(spec.architecture(), spec.loss(), params);
    }
    return model;
  }

  /** Values per features vector. */
  int inputSize() {
    return spec.architecture().inputShape().size();
  }

  /** Network outputs per sample. */
  int outputSize() {
    return spec.architecture().outputShape().size();
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
    return model().predictRaw(x, 1);
  }
}
