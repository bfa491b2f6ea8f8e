package io.sparkprop.ml;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.spark.SparkOptions;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * The param objects of {@link NeuralNetParams} for one owner, with their documentation,
 * validators and defaults. The defaults are read from {@link TrainingConfig#DEFAULTS} and
 * {@link SparkOptions#DEFAULTS}; only {@code tol} (0: any improvement counts) and
 * {@code earlyStoppingPatience} (0: off) are set here. Public only because
 * {@link NeuralNetParams#paramSet()} returns it (the interface's param accessors read it); users
 * reach the params through those accessors.
 */
public final class NeuralNetParamSet implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Solver names; "gd" is MLlib's name for mini-batch gradient descent (our "sgd"). */
  static final List<String> SOLVERS = List.of("adam", "adamw", "sgd", "gd", "rmsprop", "adagrad");

  /** Values of {@code sync}: the names of {@link SparkOptions.Sync} in lower case. */
  static final List<String> SYNCS = List.of("auto", "jobs", "barrier");

  final IntArrayParam layers;
  final Param<String> modelConfig;
  final Param<String> trainingConfig;
  final IntParam maxIter;
  final IntParam blockSize;
  final DoubleParam stepSize;
  final LongParam seed;
  final Param<String> solver;
  final DoubleParam tol;
  final IntParam earlyStoppingPatience;
  final DoubleParam validationFraction;
  final Param<String> validationIndicatorCol;
  final Param<Vector> initialWeights;
  final IntParam numPartitions;
  final IntParam aggregationDepth;
  final Param<String> checkpointPath;
  final BooleanParam standardize;
  final IntParam checkpointInterval;
  final Param<String> weightCol;
  final Param<String> sync;

  /** Creates the params of {@code owner} (whose {@code uid()} must already answer). */
  NeuralNetParamSet(Params owner) {
    layers = new IntArrayParam(owner, "layers", "sizes of the layers from input to output, e.g. [780, 100, 10]: "
        + "780 inputs, one hidden Dense+ReLU layer of 100 units, 10 outputs (ignored when modelConfig is set)",
        validLayers());
    modelConfig = new Param<>(owner, "modelConfig", "the network as JSON, as the CLI's model section: "
        + "{\"layers\": [{\"type\": \"dense\", \"units\": 64}, {\"type\": \"relu\"}, ...], \"loss\": {...}, "
        + "\"inputShape\": [n] (optional, default: the features' size), \"seed\": n (optional)}; overrides layers");
    trainingConfig = new Param<>(owner, "trainingConfig", "the training settings as JSON (optimizer, schedule, "
        + "epochs, batchSize, seed, clipGlobalNorm, earlyStopping); params set explicitly override its values");
    maxIter = new IntParam(owner, "maxIter", "number of epochs (passes over the training data) (>= 1)",
        ParamValidators.gtEq(1));
    blockSize = new IntParam(owner, "blockSize", "global mini-batch size: samples per synchronous step over all "
        + "partitions (>= 1)", ParamValidators.gtEq(1));
    stepSize = new DoubleParam(owner, "stepSize", "learning rate of the optimizer (> 0)", ParamValidators.gt(0));
    seed = new LongParam(owner, "seed", "seed of the weight initialisation, the shuffles and dropout");
    solver = new Param<>(owner, "solver", "the optimizer: " + String.join(", ", SOLVERS)
        + " (gd = sgd, MLlib's name; l-bfgs is not offered)", ParamValidators.inArray(SOLVERS));
    tol = new DoubleParam(owner, "tol", "smallest decrease of the monitored loss that counts as an improvement "
        + "for early stopping (>= 0)", ParamValidators.gtEq(0));
    earlyStoppingPatience = new IntParam(owner, "earlyStoppingPatience", "stop after this many epochs without "
        + "improvement of the validation loss (of the training loss without validation data) and keep the best "
        + "epoch's weights; 0 = never stop early", ParamValidators.gtEq(0));
    validationFraction = new DoubleParam(owner, "validationFraction", "fraction of the training rows held out "
        + "(seeded random split) for validation metrics and early stopping, in [0, 1); 0 = none",
        ParamValidators.inRange(0, 1, true, false));
    validationIndicatorCol = new Param<>(owner, "validationIndicatorCol", "name of a boolean column that is true "
        + "for validation rows and false for training rows");
    initialWeights = new Param<>(owner, "initialWeights", "initial flat parameter vector (instead of the seeded "
        + "initialisation)");
    numPartitions = new IntParam(owner, "numPartitions", "partitions to train on (>= 0); 0 = one per core; other "
        + "input partitionings are redistributed once, deterministically", ParamValidators.gtEq(0));
    aggregationDepth = new IntParam(owner, "aggregationDepth", "tree depth of the gradient sum (>= 0); 0 = "
        + "chosen from the partition count", ParamValidators.gtEq(0));
    checkpointPath = new Param<>(owner, "checkpointPath", "Hadoop path of the training checkpoint file "
        + "(hdfs://, file:, s3a:); unset = no checkpoints");
    checkpointInterval = new IntParam(owner, "checkpointInterval", "write a checkpoint every this many epochs "
        + "and after the last (>= 1)", ParamValidators.gtEq(1));
    weightCol = new Param<>(owner, "weightCol", "weight column name: each training row's loss and gradient are "
        + "multiplied by its weight (a number, finite and >= 0; a row of weight 2 trains as that row twice). If "
        + "this is not set or empty, every row weighs 1.0. Validation metrics are unweighted");
    standardize = new BooleanParam(owner, "standardize", "standardise every feature with the training data's mean "
        + "and sample standard deviation (a constant feature becomes 0); the statistics are stored in the fitted "
        + "model, saved with it and applied in transform");
    sync = new Param<>(owner, "sync", "how the partitions meet the driver once per step: " + String.join(", ", SYNCS)
        + "; jobs = one Spark job per step (works everywhere), barrier = one barrier stage per run (needs a free "
        + "task slot per partition), auto = barrier where it can run, else jobs (the Spark setting "
        + "spark.sparkprop.sync overrides auto)", ParamValidators.inArray(SYNCS));
  }

  /**
   * {@code value} as a {@link SparkOptions.Sync}, or an error naming the allowed values: Spark's
   * own validator only says "given invalid value", which leaves the user guessing.
   */
  static SparkOptions.Sync sync(String who, String value) {
    if (value == null || !SYNCS.contains(value)) {
      throw new IllegalArgumentException(who + ": sync must be one of " + String.join(", ", SYNCS) + ", got "
          + (value == null ? "null" : "'" + value + "'"));
    }
    return SparkOptions.Sync.valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }

  /** Sets the defaults on {@code owner}. */
  void setDefaults(Params owner) {
    TrainingConfig t = TrainingConfig.DEFAULTS;
    SparkOptions s = SparkOptions.DEFAULTS;
    owner.setDefault(maxIter, t.epochs());
    owner.setDefault(blockSize, t.batchSize());
    owner.setDefault(stepSize, t.optimizer().learningRate());
    owner.setDefault(seed, t.seed());
    owner.setDefault(solver, optimizerName(t));
    owner.setDefault(tol, 0.0);
    owner.setDefault(earlyStoppingPatience, 0);
    owner.setDefault(validationFraction, 0.0);
    owner.setDefault(numPartitions, s.partitions());
    owner.setDefault(aggregationDepth, s.aggregationDepth());
    owner.setDefault(checkpointInterval, s.checkpointEvery());
    // false, as in spark.ml, where a StandardScaler stage in the Pipeline is the usual way
    owner.setDefault(standardize, false);
    owner.setDefault(sync, s.sync().name().toLowerCase(java.util.Locale.ROOT));
  }

  /** The JSON type name of the config's optimizer ("adam"). */
  static String optimizerName(TrainingConfig t) {
    JsonNode n = Json.mapper().valueToTree(t).get("optimizer");
    return n.get("type").asText();
  }

  @SuppressWarnings("unchecked")
  private static Function1<int[], Object> validLayers() {
    return (Function1<int[], Object> & Serializable) a -> {
      if (a == null || a.length < 2) {
        return false;
      }
      for (int v : a) {
        if (v <= 0) {
          return false;
        }
      }
      return true;
    };
  }
}
