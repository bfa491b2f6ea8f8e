package io.sparkprop.ml;

import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.Huber;
import io.sparkprop.core.loss.RegressionLoss;
import io.sparkprop.core.data.Preprocessing;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link NeuralNetRegressor}: adds the {@code prediction} column (the network's single
 * output), running the network on blocks of rows ({@link #setPredictionBlockSize}). Sparse
 * feature vectors are densified. Saved and loaded with
 * {@code save(path)} / {@link #load(String)}, also inside Pipelines; a loaded model predicts
 * bit-identically and still has its {@link #summary()}.
 */
public final class NeuralNetRegressionModel
    extends RegressionModel<Vector, NeuralNetRegressionModel>
    implements NeuralNetModel<NeuralNetRegressionModel> {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final NeuralNetParamSet p;
  private final TrainedNetwork network;
  private final Param<String> loss;
  private final DoubleParam huberDelta;
  private final IntParam predictionBlockSize;

  NeuralNetRegressionModel(String uid, Model network, NeuralNetTrainingSummary summary) {
    this(uid, network, summary, null);
  }

  /** With the standardisation fitted by {@code standardize} (null or none: features as they are). */
  NeuralNetRegressionModel(String uid, Model network, NeuralNetTrainingSummary summary, Preprocessing preprocessing) {
    this(Uids.stash(uid), new TrainedNetwork(network, summary, preprocessing));
  }

  private NeuralNetRegressionModel(String uid, TrainedNetwork network) {
    this.uid = uid;
    Uids.clear();
    this.network = network;
    Model m = network.model();
    checkNetwork(m.architecture(), m.loss(), "NeuralNetRegressionModel " + uid);
    p = new NeuralNetParamSet(this);
    p.setDefaults(this);
    loss = NeuralNetRegressor.lossParam(this);
    huberDelta = NeuralNetRegressor.huberDeltaParam(this);
    setDefault(loss, NeuralNetRegressor.LOSSES.get(0));
    setDefault(huberDelta, new Huber().delta());
    predictionBlockSize = BlockTransform.blockSizeParam(this);
    setDefault(predictionBlockSize, BlockTransform.DEFAULT_BLOCK);
  }

  @Override
  public TrainedNetwork trainedNetwork() {
    return network;
  }

  @Override
  public String uid() {
    return uid != null ? uid : Uids.pending();
  }

  /**
   * Checks that a network fits a regressor: one output and a regression loss.
   *
   * @throws IllegalArgumentException naming {@code who} otherwise
   */
  static void checkNetwork(Sequential arch, Loss loss, String who) {
    int out = arch.outputShape().size();
    if (out != 1 || !(loss instanceof RegressionLoss)) {
      throw new IllegalArgumentException(who + ": a regressor needs a network with 1 output and a regression loss "
          + "(mean_squared_error, mean_absolute_error or huber); the network has " + out + " outputs and loss "
          + loss.getClass().getSimpleName());
    }
  }

  // ---- params (as the estimator's; set on the model by fit) ----

  @Override
  public NeuralNetParamSet paramSet() {
    return p;
  }
  public Param<String> loss() { return loss; }
  public DoubleParam huberDelta() { return huberDelta; }
  public String getLoss() { return getOrDefault(loss); }
  public double getHuberDelta() { return (Double) getOrDefault(huberDelta); }

  // ---- prediction ----

  @Override
  public IntParam predictionBlockSize() {
    return predictionBlockSize;
  }

  /** Spark's per-row transform: one UDF call (and one single-row forward pass) per row. */
  Dataset<Row> transformPerRow(Dataset<?> dataset) {
    return super.transform(dataset);
  }

  /** Appends the {@code prediction} column (Spark's schema), running the network on blocks of rows. */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    // The per-row plan (built, never run) gives the exact output schema and Spark's checks.
    StructType schema = transformPerRow(dataset).schema();
    if (getPredictionCol().isEmpty()) {
      return dataset.toDF();
    }
    return BlockTransform.transform(dataset, schema, getFeaturesCol(), network, getPredictionBlockSize(),
        (out, at, width) -> new Object[] {(double) out[at]});
  }

  @Override
  public int numFeatures() {
    return network.inputSize();
  }

  /** The network's output for {@code features}. */
  @Override
  public double predict(Vector features) {
    return network.predictRaw(features)[0];
  }

  @Override
  public NeuralNetRegressionModel copy(ParamMap extra) {
    NeuralNetRegressionModel c = new NeuralNetRegressionModel(Uids.stash(uid), network);
    return copyValues(c, extra).setParent(parent());
  }

  @Override
  public String toString() {
    return "NeuralNetRegressionModel: uid=" + uid + ", numFeatures="
        + numFeatures() + ", parameters=" + network.model().params().length;
  }

  // ---- persistence (write() is NeuralNetModel's) ----

  /** The reader of saved models (Spark calls it through reflection inside saved PipelineModels). */
  public static MLReader<NeuralNetRegressionModel> read() {
    return new ModelFiles.Reader<>(NeuralNetRegressionModel.class, NeuralNetRegressionModel::new);
  }

  /** Loads a model saved with {@code save(path)}. */
  public static NeuralNetRegressionModel load(String path) {
    return read().load(path);
  }
}
