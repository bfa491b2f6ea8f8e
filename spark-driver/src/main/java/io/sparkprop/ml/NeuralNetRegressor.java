package io.sparkprop.ml;

import io.sparkprop.core.loss.Huber;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.MeanAbsoluteError;
import io.sparkprop.core.loss.MeanSquaredError;
import java.util.List;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * A neural-network regressor for spark.ml (MLlib's multilayer perceptron has none): one target
 * per row (the double {@code label} column), a {@code prediction} column, the same params as
 * {@link NeuralNetClassifier} plus {@code loss} ({@code squaredError}, {@code absoluteError} or
 * {@code huber} with {@code huberDelta}).
 *
 * <pre>{@code
 * NeuralNetRegressor nn = new NeuralNetRegressor()
 *     .setLayers(new int[] {8, 32, 1}).setLoss("huber").setMaxIter(30).setStepSize(0.01);
 * NeuralNetRegressionModel model = nn.fit(train);
 * model.transform(test).select("label", "prediction").show();
 * }</pre>
 *
 * With {@code layers = [in, h1, ..., 1]} the network is Dense(h1)+ReLU, ..., Dense(1) with a
 * linear output. With {@code modelConfig} the network must have one output and its loss, when
 * given, must be a regression loss ({@code mean_squared_error}, {@code mean_absolute_error},
 * {@code huber}); without one the {@code loss} param applies.
 */
public final class NeuralNetRegressor
    extends Regressor<Vector, NeuralNetRegressor, NeuralNetRegressionModel>
    implements NeuralNetParams, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  /** Values of the {@code loss} param. */
  static final List<String> LOSSES = List.of("squaredError", "absoluteError", "huber");
  private final NeuralNetParamSet p;
  private final Param<String> loss;
  private final DoubleParam huberDelta;

  public NeuralNetRegressor() {
    this(Identifiable.randomUID("neuralNetRegressor"));
  }

  public NeuralNetRegressor(String uid) {
    this(Uids.stash(uid), null);
  }

  private NeuralNetRegressor(String uid, Void stashed) {
    this.uid = uid;
    Uids.clear();
    p = new NeuralNetParamSet(this);
    p.setDefaults(this);
    loss = lossParam(this);
    huberDelta = huberDeltaParam(this);
    setDefault(loss, LOSSES.get(0));
    setDefault(huberDelta, new Huber().delta());
  }

  static Param<String> lossParam(org.apache.spark.ml.param.Params owner) {
    return new Param<>(owner, "loss", "the loss: squaredError (mean squared error), absoluteError (mean absolute "
        + "error) or huber (Huber loss with huberDelta); used unless modelConfig names a loss",
        ParamValidators.inArray(LOSSES));
  }

  static DoubleParam huberDeltaParam(org.apache.spark.ml.param.Params owner) {
    return new DoubleParam(owner, "huberDelta", "where the Huber loss turns from quadratic to linear (> 0)",
        ParamValidators.gt(0));
  }

  /** The core loss named by {@code name} (a {@link #LOSSES} value). */
  static Loss coreLoss(String name, double huberDelta) {
    return switch (name) {
      case "squaredError" -> new MeanSquaredError();
      case "absoluteError" -> new MeanAbsoluteError();
      case "huber" -> new Huber(huberDelta);
      default -> throw new IllegalArgumentException("loss must be one of " + LOSSES + ", got " + name);
    };
  }

  @Override
  public String uid() {
    return uid != null ? uid : Uids.pending();
  }

  // ---- params ----

  @Override
  public NeuralNetParamSet paramSet() {
    return p;
  }
  public Param<String> loss() { return loss; }
  public DoubleParam huberDelta() { return huberDelta; }
  public String getLoss() { return getOrDefault(loss); }
  public double getHuberDelta() { return (Double) getOrDefault(huberDelta); }

  public NeuralNetRegressor setLayers(int[] v) { return put(p.layers, v); }
  /** Standardise the features (statistics of the training data, kept in the model); default false. */
  public NeuralNetRegressor setStandardize(boolean v) { return put(p.standardize, v); }
  public NeuralNetRegressor setModelConfig(String json) { return put(p.modelConfig, json); }
  public NeuralNetRegressor setTrainingConfig(String json) { return put(p.trainingConfig, json); }
  public NeuralNetRegressor setMaxIter(int v) { return put(p.maxIter, v); }
  public NeuralNetRegressor setBlockSize(int v) { return put(p.blockSize, v); }
  public NeuralNetRegressor setStepSize(double v) { return put(p.stepSize, v); }
  public NeuralNetRegressor setSeed(long v) { return put(p.seed, v); }
  public NeuralNetRegressor setSolver(String v) { return put(p.solver, v); }
  public NeuralNetRegressor setTol(double v) { return put(p.tol, v); }
  public NeuralNetRegressor setEarlyStoppingPatience(int v) { return put(p.earlyStoppingPatience, v); }
  public NeuralNetRegressor setValidationFraction(double v) { return put(p.validationFraction, v); }
  public NeuralNetRegressor setValidationIndicatorCol(String v) { return put(p.validationIndicatorCol, v); }
  public NeuralNetRegressor setInitialWeights(Vector v) { return put(p.initialWeights, v); }
  public NeuralNetRegressor setNumPartitions(int v) { return put(p.numPartitions, v); }
  public NeuralNetRegressor setAggregationDepth(int v) { return put(p.aggregationDepth, v); }
  public NeuralNetRegressor setCheckpointPath(String v) { return put(p.checkpointPath, v); }
  public NeuralNetRegressor setCheckpointInterval(int v) { return put(p.checkpointInterval, v); }
  public NeuralNetRegressor setWeightCol(String v) { return put(p.weightCol, v); }

  /** auto (default), jobs or barrier; checked here so that a wrong value fails at the call with the allowed ones. */
  public NeuralNetRegressor setSync(String v) {
    NeuralNetParamSet.sync(uid(), v);
    return put(p.sync, v);
  }

  public NeuralNetRegressor setLoss(String v) { return put(loss, v); }
  public NeuralNetRegressor setHuberDelta(double v) { return put(huberDelta, v); }

  private <T> NeuralNetRegressor put(Param<T> param, T value) {
    return (NeuralNetRegressor) super.set(param, value);
  }

  // ---- training ----

  @Override
  public NeuralNetRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public NeuralNetRegressionModel train(Dataset<?> dataset) {
    return train(dataset, null);
  }

  /**
   * Fits on {@code train} and reports validation metrics on {@code validation} after every epoch
   * (used by early stopping; Keras' {@code validation_data}). Both need the features and label
   * columns.
   */
  public NeuralNetRegressionModel fit(Dataset<?> train, Dataset<?> validation) {
    transformSchema(train.schema(), true);
    return copyValues(train(NeuralNetFitter.castLabel(train, getLabelCol()),
        NeuralNetFitter.castLabel(validation, getLabelCol())).setParent(this), ParamMap.empty());
  }

  private NeuralNetRegressionModel train(Dataset<?> data, Dataset<?> validation) {
    String who = "NeuralNetRegressor " + uid;
    NeuralNetFitter.Fitted f = NeuralNetFitter.fit(this, getFeaturesCol(), getLabelCol(), data, validation,
        coreLoss(getLoss(), getHuberDelta()), who, (arch, l) -> NeuralNetRegressionModel.checkNetwork(arch, l, who));
    return new NeuralNetRegressionModel(uid, f.model(), new NeuralNetTrainingSummary(f.history(), f.config()),
        f.preprocessing());
  }

  // ---- persistence ----

  /** The reader of saved estimators (Spark calls it through reflection inside saved Pipelines). */
  public static MLReader<NeuralNetRegressor> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads an estimator saved with {@code save(path)}. */
  public static NeuralNetRegressor load(String path) {
    return read().load(path);
  }
}
