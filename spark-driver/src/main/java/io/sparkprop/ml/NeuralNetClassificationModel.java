package io.sparkprop.ml;

import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.SigmoidBinaryCrossEntropy;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.data.Preprocessing;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.Tuple3;

/**
 * A fitted {@link NeuralNetClassifier}: adds Spark's {@code rawPrediction} (the network's
 * logits), {@code probability} (their softmax) and {@code prediction} (the most probable class,
 * or the one with the largest {@code probability / threshold} when {@code thresholds} is set)
 * columns, running the network on blocks of rows ({@link #setPredictionBlockSize}). Sparse feature
 * vectors are densified. Saved and loaded with
 * {@code save(path)} / {@link #load(String)}, also inside Pipelines; a loaded model predicts
 * bit-identically and still has its {@link #summary()}.
 */
public final class NeuralNetClassificationModel
    extends ProbabilisticClassificationModel<Vector, NeuralNetClassificationModel>
    implements NeuralNetModel<NeuralNetClassificationModel> {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final NeuralNetParamSet p;
  private final TrainedNetwork network;
  private final boolean binary;
  private final int numClasses;
  private final IntParam predictionBlockSize;

  NeuralNetClassificationModel(String uid, Model network, NeuralNetTrainingSummary summary) {
    this(uid, network, summary, null);
  }

  /** With the standardisation fitted by {@code standardize} (null or none: features as they are). */
  NeuralNetClassificationModel(String uid, Model network, NeuralNetTrainingSummary summary, Preprocessing preprocessing) {
    this(Uids.stash(uid), new TrainedNetwork(network, summary, preprocessing));
  }

  private NeuralNetClassificationModel(String uid, TrainedNetwork network) {
    this.uid = uid;
    Uids.clear();
    this.network = network;
    Model m = network.model();
    this.numClasses = numClasses(m.architecture(), m.loss(), "NeuralNetClassificationModel " + uid);
    this.binary = m.loss() instanceof SigmoidBinaryCrossEntropy;
    p = new NeuralNetParamSet(this);
    p.setDefaults(this);
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
   * The number of classes a network predicts: its output size with softmax cross-entropy (at
   * least 2), 2 with sigmoid binary cross-entropy on one output.
   *
   * @throws IllegalArgumentException for any other loss or output size, naming {@code who}
   */
  static int numClasses(Sequential arch, Loss loss, String who) {
    int out = arch.outputShape().size();
    if (loss instanceof SoftmaxCrossEntropy && out >= 2) {
      return out;
    }
    if (loss instanceof SigmoidBinaryCrossEntropy && out == 1) {
      return 2;
    }
    throw new IllegalArgumentException(who + ": a classifier needs softmax_cross_entropy with 2 or more outputs "
        + "(one per class) or sigmoid_binary_cross_entropy with 1 output; the network has " + out + " outputs and "
        + "loss " + loss.getClass().getSimpleName());
  }

  // ---- params (as the estimator's; set on the model by fit) ----

  @Override
  public NeuralNetParamSet paramSet() {
    return p;
  }

  // ---- prediction ----

  @Override
  public IntParam predictionBlockSize() {
    return predictionBlockSize;
  }

  /** Spark's per-row transform: one UDF call (and one single-row forward pass) per row. */
  Dataset<Row> transformPerRow(Dataset<?> dataset) {
    return super.transform(dataset);
  }

  /**
   * Appends the {@code rawPrediction}, {@code probability} and {@code prediction} columns that
   * are set (Spark's order, schema and values), running the network on blocks of
   * {@code predictionBlockSize} rows (see {@code BlockTransform}).
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    // The per-row plan (built, never run) gives the exact output schema and Spark's checks.
    StructType schema = transformPerRow(dataset).schema();
    boolean raw = !getRawPredictionCol().isEmpty();
    boolean prob = !getProbabilityCol().isEmpty();
    boolean pred = !getPredictionCol().isEmpty();
    if (!raw && !prob && !pred) {
      return dataset.toDF();
    }
    return BlockTransform.transform(dataset, schema, getFeaturesCol(), network, getPredictionBlockSize(),
        (out, at, width) -> rowOutputs(out, at, width, raw, prob, pred));
  }

  /** What Spark's per-row transform computes for one row from {@code predictRaw}, in its column order. */
  private Object[] rowOutputs(float[] out, int at, int width, boolean raw, boolean prob, boolean pred) {
    Vector r = rawVector(out, at, width);
    Object[] v = new Object[(raw ? 1 : 0) + (prob ? 1 : 0) + (pred ? 1 : 0)];
    int k = 0;
    Vector p = null;
    if (raw) {
      v[k++] = r;
    }
    if (prob) {
      p = raw ? raw2probability(r) : raw2probabilityInPlace(r);
      v[k++] = p;
    }
    if (pred) {
      v[k] = raw || p == null ? raw2prediction(r) : probability2prediction(p);
    }
    return v;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public int numFeatures() {
    return network.inputSize();
  }

  /** The network's logits; {@code [-z, z]} for a one-output sigmoid network. */
  @Override
  public Vector predictRaw(Vector features) {
    float[] out = network.predictRaw(features);
    return rawVector(out, 0, out.length);
  }

  private Vector rawVector(float[] out, int at, int width) {
    if (binary) {
      return new DenseVector(new double[] {-out[at], out[at]});
    }
    double[] d = new double[width];
    for (int i = 0; i < width; i++) {
      d[i] = out[at + i];
    }
    return new DenseVector(d);
  }

  /**
   * Softmax of the logits in place, {@code p_i = exp(z_i - max z) / Σ_j exp(z_j - max z)}; for a
   * one-output sigmoid network {@code [1 - σ(z), σ(z)]} from {@code [-z, z]}.
   */
  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    double[] v = ((DenseVector) rawPrediction).values();
    if (binary) {
      double p1 = 1.0 / (1.0 + Math.exp(-v[1]));
      v[0] = 1.0 - p1;
      v[1] = p1;
      return rawPrediction;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      max = Math.max(max, x);
    }
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.exp(v[i] - max);
      sum += v[i];
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= sum;
    }
    return rawPrediction;
  }

  /**
   * Spark's helper for summaries (the model with the probability and prediction columns set);
   * declared again (raw) only because Java sees two inherited versions whose generic types
   * differ (Scala's Tuple3 is covariant, Java's view of it is not).
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public NeuralNetClassificationModel copy(ParamMap extra) {
    NeuralNetClassificationModel c = new NeuralNetClassificationModel(Uids.stash(uid), network);
    return copyValues(c, extra).setParent(parent());
  }

  @Override
  public String toString() {
    return "NeuralNetClassificationModel: uid=" + uid + ", numClasses=" + numClasses + ", numFeatures="
        + numFeatures() + ", parameters=" + network.model().params().length;
  }

  // ---- persistence (write() is NeuralNetModel's) ----

  /** The reader of saved models (Spark calls it through reflection inside saved PipelineModels). */
  public static MLReader<NeuralNetClassificationModel> read() {
    return new ModelFiles.Reader<>(NeuralNetClassificationModel.class, NeuralNetClassificationModel::new);
  }

  /** Loads a model saved with {@code save(path)}. */
  public static NeuralNetClassificationModel load(String path) {
    return read().load(path);
  }
}
