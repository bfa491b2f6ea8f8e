package io.sparkprop.ml;

import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * A neural-network classifier for spark.ml, a drop-in replacement for
 * {@code MultilayerPerceptronClassifier}: the same params ({@code layers}, {@code maxIter},
 * {@code blockSize}, {@code stepSize}, {@code seed}, {@code tol}, {@code solver},
 * {@code initialWeights}, {@code thresholds}, the column params) and columns
 * ({@code prediction}, {@code probability}, {@code rawPrediction}), but ReLU hidden layers,
 * softmax cross-entropy, mini-batch Adam (or SGD, RMSProp, ...) trained data-parallel with
 * synchronous steps, and the full core model and training configuration as JSON
 * ({@code modelConfig}, {@code trainingConfig}), validation data and early stopping.
 *
 * <pre>{@code
 * NeuralNetClassifier nn = new NeuralNetClassifier()
 *     .setLayers(new int[] {4, 16, 3}).setMaxIter(50).setBlockSize(32).setStepSize(0.01).setSeed(7);
 * NeuralNetClassificationModel model = nn.fit(train);
 * model.transform(test).select("prediction", "probability").show();
 * }</pre>
 *
 * With {@code layers = [in, h1, ..., out]} the network is Dense(h1)+ReLU, ..., Dense(out) with
 * softmax cross-entropy and {@code out} classes; labels must be integers in {@code [0, out)}.
 * With {@code modelConfig} the loss may be {@code softmax_cross_entropy} ({@code out >= 2}
 * classes) or {@code sigmoid_binary_cross_entropy} with one output (two classes; rawPrediction
 * is {@code [-z, z]} and probability {@code [1 - σ(z), σ(z)]}, as LogisticRegression's).
 */
public final class NeuralNetClassifier
    extends ProbabilisticClassifier<Vector, NeuralNetClassifier, NeuralNetClassificationModel>
    implements NeuralNetParams, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final NeuralNetParamSet p;

  public NeuralNetClassifier() {
    this(Identifiable.randomUID("neuralNetClassifier"));
  }

  public NeuralNetClassifier(String uid) {
    this(Uids.stash(uid), null);
  }

  private NeuralNetClassifier(String uid, Void stashed) {
    this.uid = uid;
    Uids.clear();
    p = new NeuralNetParamSet(this);
    p.setDefaults(this);
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

  public NeuralNetClassifier setLayers(int[] v) { return put(p.layers, v); }
  /** Standardise the features (statistics of the training data, kept in the model); default false. */
  public NeuralNetClassifier setStandardize(boolean v) { return put(p.standardize, v); }
  public NeuralNetClassifier setModelConfig(String json) { return put(p.modelConfig, json); }
  public NeuralNetClassifier setTrainingConfig(String json) { return put(p.trainingConfig, json); }
  public NeuralNetClassifier setMaxIter(int v) { return put(p.maxIter, v); }
  public NeuralNetClassifier setBlockSize(int v) { return put(p.blockSize, v); }
  public NeuralNetClassifier setStepSize(double v) { return put(p.stepSize, v); }
  public NeuralNetClassifier setSeed(long v) { return put(p.seed, v); }
  public NeuralNetClassifier setSolver(String v) { return put(p.solver, v); }
  public NeuralNetClassifier setTol(double v) { return put(p.tol, v); }
  public NeuralNetClassifier setEarlyStoppingPatience(int v) { return put(p.earlyStoppingPatience, v); }
  public NeuralNetClassifier setValidationFraction(double v) { return put(p.validationFraction, v); }
  public NeuralNetClassifier setValidationIndicatorCol(String v) { return put(p.validationIndicatorCol, v); }
  public NeuralNetClassifier setInitialWeights(Vector v) { return put(p.initialWeights, v); }
  public NeuralNetClassifier setNumPartitions(int v) { return put(p.numPartitions, v); }
  public NeuralNetClassifier setAggregationDepth(int v) { return put(p.aggregationDepth, v); }
  public NeuralNetClassifier setCheckpointPath(String v) { return put(p.checkpointPath, v); }
  public NeuralNetClassifier setCheckpointInterval(int v) { return put(p.checkpointInterval, v); }
  public NeuralNetClassifier setWeightCol(String v) { return put(p.weightCol, v); }

  /** auto (default), jobs or barrier; checked here so that a wrong value fails at the call with the allowed ones. */
  public NeuralNetClassifier setSync(String v) {
    NeuralNetParamSet.sync(uid(), v);
    return put(p.sync, v);
  }


  private <T> NeuralNetClassifier put(Param<T> param, T value) {
    return (NeuralNetClassifier) super.set(param, value);
  }

  // ---- training ----

  @Override
  public NeuralNetClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public NeuralNetClassificationModel train(Dataset<?> dataset) {
    return train(dataset, null);
  }

  /**
   * Fits on {@code train} and reports validation metrics on {@code validation} after every epoch
   * (used by early stopping; Keras' {@code validation_data}). Both need the features and label
   * columns.
   */
  public NeuralNetClassificationModel fit(Dataset<?> train, Dataset<?> validation) {
    transformSchema(train.schema(), true);
    return copyValues(train(NeuralNetFitter.castLabel(train, getLabelCol()),
        NeuralNetFitter.castLabel(validation, getLabelCol())).setParent(this), ParamMap.empty());
  }

  private NeuralNetClassificationModel train(Dataset<?> data, Dataset<?> validation) {
    String who = "NeuralNetClassifier " + uid;
    NeuralNetFitter.Fitted f = NeuralNetFitter.fit(this, getFeaturesCol(), getLabelCol(), data, validation,
        new SoftmaxCrossEntropy(), who, (arch, loss) -> {
          int classes = NeuralNetClassificationModel.numClasses(arch, loss, who);
          checkLabelMetadata(data, classes, who);
        });
    return new NeuralNetClassificationModel(uid, f.model(), new NeuralNetTrainingSummary(f.history(), f.config()),
        f.preprocessing());
  }

  /** Fails when the label column's nominal metadata (e.g. from StringIndexer) names more classes than the network has. */
  private void checkLabelMetadata(Dataset<?> data, int numClasses, String who) {
    Attribute a = Attribute.fromStructField(data.schema().apply(getLabelCol()));
    if (a instanceof NominalAttribute n && n.getNumValues().isDefined()
        && (Integer) n.getNumValues().get() > numClasses) {
      throw new IllegalArgumentException(who + ": label column '" + getLabelCol() + "' has "
          + n.getNumValues().get() + " classes (from its metadata) but the network has " + numClasses
          + " outputs; make the last layer " + n.getNumValues().get() + " wide");
    }
  }

  // ---- persistence ----

  /** The reader of saved estimators (Spark calls it through reflection inside saved Pipelines). */
  public static MLReader<NeuralNetClassifier> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads an estimator saved with {@code save(path)}. */
  public static NeuralNetClassifier load(String path) {
    return read().load(path);
  }
}
