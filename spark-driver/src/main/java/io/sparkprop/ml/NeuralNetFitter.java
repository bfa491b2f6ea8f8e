package io.sparkprop.ml;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.core.data.DataException;
import io.sparkprop.core.data.Preprocessing;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.ModelConfig;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Optimizer;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.EarlyStopping;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.spark.SparkOptions;
import io.sparkprop.spark.SparkTrainer;
import io.sparkprop.spark.data.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * What both estimators do in {@code fit}: build the network and the training config from the
 * params, split off validation data, and train on Spark with {@link SparkTrainer}.
 *
 * <p>Precedence: without {@code trainingConfig} every simple param applies (their defaults equal
 * {@code TrainingConfig.DEFAULTS}); with it, only the simple params set explicitly override its
 * values ({@code maxIter} → epochs, {@code blockSize} → batchSize, {@code stepSize} → the
 * optimizer's learning rate, {@code solver} → the optimizer, {@code seed}, and
 * {@code earlyStoppingPatience}/{@code tol} → earlyStopping). {@code modelConfig} wins over
 * {@code layers}.
 */
final class NeuralNetFitter {

  /** A trained network, its history and the config it was trained with. */
  record Fitted(Model model, History history, TrainingConfig config, Preprocessing preprocessing) {
  }

  /** Checks a network before training (e.g. that a classifier's loss predicts classes). */
  interface Check {
    void accept(Sequential architecture, Loss loss);
  }

  private NeuralNetFitter() {
  }

  /**
   * Trains on {@code data} (labels already numeric), with {@code validation} rows when given,
   * else those of {@code validationIndicatorCol} or {@code validationFraction}.
   *
   * @param defaultLoss the loss when {@code modelConfig} names none
   * @param who         the estimator's name for messages
   * @param check       called with the network before training; throws when it does not fit the estimator
   */
  static Fitted fit(NeuralNetParams p, String featuresCol, String labelCol, Dataset<?> data, Dataset<?> validation,
                    Loss defaultLoss, String who, Check check) {
    Dataset<Row> train = data.toDF();
    Dataset<Row> val = validation == null ? null : validation.toDF();
    int ways = (val != null ? 1 : 0) + (p.isDefined(p.validationIndicatorCol()) ? 1 : 0)
        + (p.getValidationFraction() > 0 ? 1 : 0);
    if (ways > 1) {
      throw new IllegalArgumentException(who + ": give validation data one way only: a validation DataFrame, "
          + "validationIndicatorCol or validationFraction");
    }
    if (p.isDefined(p.validationIndicatorCol())) {
      String c = p.getValidationIndicatorCol();
      DataType t = columnType(train, c, who);
      if (!(t instanceof BooleanType)) {
        throw new IllegalArgumentException(who + ": validationIndicatorCol '" + c + "' is " + t.simpleString()
            + ", expected boolean");
      }
      Column flag = Columns.col(c);
      val = train.filter(flag);
      train = train.filter(functions.not(flag));
    } else if (p.getValidationFraction() > 0) {
      double f = p.getValidationFraction();
      Dataset<Row>[] parts = train.randomSplit(new double[] {1 - f, f}, p.getSeed());
      train = parts[0];
      val = parts[1];
    }
    columnType(train, featuresCol, who);
    columnType(train, labelCol, who);
    String weightCol = p.isDefined(p.weightCol()) && !p.getWeightCol().isEmpty() ? p.getWeightCol() : null;
    if (weightCol != null && !(columnType(train, weightCol, who) instanceof NumericType)) {
      throw new IllegalArgumentException(who + ": weightCol '" + weightCol + "' is "
          + columnType(train, weightCol, who).simpleString() + ", expected a number");
    }
    Preprocessing pre = Preprocessing.NONE;
    if (p.getStandardize()) {
      pre = standardization(train, featuresCol);
      train = standardized(train, featuresCol, pre);
      val = val == null ? null : standardized(val, featuresCol, pre);
    }

    Sequential arch;
    Loss loss;
    long initSeed = p.getSeed();
    if (p.isDefined(p.modelConfig())) {
      ModelConfig mc;
      try {
        mc = ModelConfig.parse(p.getModelConfig());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("modelConfig: " + e.getMessage(), e);
      }
      arch = mc.architecture(mc.inputShape() != null ? null : Shape.of(featureSize(train, featuresCol, who)));
      loss = mc.loss() != null ? mc.loss() : defaultLoss;
      initSeed = mc.seedOr(initSeed);
    } else if (p.isDefined(p.layers())) {
      arch = mlp(p.getLayers());
      loss = defaultLoss;
    } else {
      throw new IllegalArgumentException(who + ": set layers (e.g. setLayers(new int[] {4, 16, 3}): 4 inputs, "
          + "16 hidden units, 3 outputs) or modelConfig");
    }
    check.accept(arch, loss);
    TrainingConfig config = trainingConfig(p, val != null);
    Model model = Model.init(arch, loss, initSeed);
    if (p.isDefined(p.initialWeights())) {
      Vector w = p.getInitialWeights();
      if (w.size() != model.params().length) {
        throw new IllegalArgumentException(who + ": initialWeights has " + w.size() + " values but the network "
            + "has " + model.params().length + " parameters");
      }
      double[] d = w.toArray();
      for (int i = 0; i < d.length; i++) {
        model.params()[i] = (float) d[i];
      }
    }
    SparkOptions options = SparkOptions.DEFAULTS.withColumns(featuresCol, labelCol)
        .withPartitions(p.getNumPartitions()).withAggregationDepth(p.getAggregationDepth()).withWeightCol(weightCol)
        .withSync(NeuralNetParamSet.sync(who, p.getSync()));
    if (p.isDefined(p.checkpointPath())) {
      options = options.withCheckpoints(p.getCheckpointPath(), p.getCheckpointInterval());
    }
    History h = new SparkTrainer(config, options).fit(model, train, val);
    return new Fitted(model, h, config, pre);
  }

  /**
   * Per-feature mean and {@code 1 / std} of the training rows (sample standard deviation, as the
   * CLI's {@code data.standardize} and spark.ml's StandardScaler with withMean and withStd), one
   * Spark pass; a constant feature (or a single row) gets scale 0 and becomes 0.
   */
  static Preprocessing standardization(Dataset<Row> train, String featuresCol) {
    Row stats = train.select(Summarizer.metrics("mean", "std").summary(Columns.col(featuresCol)).as("s"))
        .select("s.mean", "s.std").first();
    double[] mean = ((Vector) stats.get(0)).toArray();
    double[] std = ((Vector) stats.get(1)).toArray();
    double[] scale = new double[std.length];
    for (int i = 0; i < std.length; i++) {
      scale[i] = std[i] > 0 && Double.isFinite(std[i]) ? 1 / std[i] : 0;
    }
    return new Preprocessing(mean, scale, null);
  }

  /** {@code df} with its features column standardised by {@code pre} (computed by the executors). */
  static Dataset<Row> standardized(Dataset<Row> df, String featuresCol, Preprocessing pre) {
    double[] mean = pre.mean();
    double[] scale = pre.scale();
    org.apache.spark.sql.expressions.UserDefinedFunction f = functions.udf(
        (org.apache.spark.sql.api.java.UDF1<Vector, Vector>) v -> {
          if (v.size() != mean.length) {
            throw new DataException("a features vector has " + v.size() + " values but the standardisation was "
                + "fitted on " + mean.length);
          }
          double[] x = v.toArray();
          for (int i = 0; i < x.length; i++) {
            x[i] = (x[i] - mean[i]) * scale[i];
          }
          return org.apache.spark.ml.linalg.Vectors.dense(x);
        }, new org.apache.spark.ml.linalg.VectorUDT());
    StructField meta = df.schema().apply(featuresCol);
    return df.withColumn(featuresCol, f.apply(Columns.col(featuresCol)), meta.metadata());
  }

  /** Dense + ReLU for every hidden size of {@code [in, hidden..., out]}, then Dense(out). */
  static Sequential mlp(int[] sizes) {
    List<Layer> layers = new ArrayList<>();
    for (int i = 1; i < sizes.length; i++) {
      layers.add(new Dense(sizes[i]));
      if (i < sizes.length - 1) {
        layers.add(new ReLU());
      }
    }
    return new Sequential(Shape.of(sizes[0]), layers);
  }

  /** The training config: {@code trainingConfig} (or the defaults) with the simple params applied. */
  static TrainingConfig trainingConfig(NeuralNetParams p, boolean hasValidation) {
    boolean all = !p.isDefined(p.trainingConfig());
    TrainingConfig c = all ? TrainingConfig.DEFAULTS : parseTrainingConfig(p.getTrainingConfig());
    if (applies(p, all, p.maxIter())) {
      c = c.withEpochs(p.getMaxIter());
    }
    if (applies(p, all, p.blockSize())) {
      c = c.withBatchSize(p.getBlockSize());
    }
    if (applies(p, all, p.seed())) {
      c = c.withSeed(p.getSeed());
    }
    boolean solver = applies(p, all, p.solver());
    boolean rate = applies(p, all, p.stepSize());
    if (solver || rate) {
      ObjectNode o = solver ? Json.mapper().createObjectNode() : Json.mapper().valueToTree(c.optimizer());
      if (solver) {
        o.put("type", "gd".equals(p.getSolver()) ? "sgd" : p.getSolver());
      }
      o.put("learningRate", rate ? p.getStepSize() : c.optimizer().learningRate());
      c = c.withOptimizer(Json.fromJson(o.toString(), Optimizer.class));
    }
    if (applies(p, all, p.earlyStoppingPatience())) {
      int patience = p.getEarlyStoppingPatience();
      c = c.withEarlyStopping(patience == 0 ? null
          : new EarlyStopping(hasValidation ? "val_loss" : "loss", patience, p.getTol(), true));
    } else if (c.earlyStopping() != null && p.isSet(p.tol())) {
      EarlyStopping e = c.earlyStopping();
      c = c.withEarlyStopping(new EarlyStopping(e.monitor(), e.patience(), p.getTol(), e.restoreBestWeights()));
    }
    return c;
  }

  private static TrainingConfig parseTrainingConfig(String json) {
    try {
      return Json.fromJson(json, TrainingConfig.class);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("trainingConfig: " + e.getMessage(), e);
    }
  }

  private static boolean applies(NeuralNetParams p, boolean all, Param<?> param) {
    return all || p.isSet(param);
  }

  /** Values per features vector: from the column's ML attributes, else from the first row. */
  static int featureSize(Dataset<Row> df, String featuresCol, String who) {
    int n = AttributeGroup.fromStructField(df.schema().apply(featuresCol)).size();
    if (n >= 0) {
      return n;
    }
    List<Row> first = df.select(Columns.col(featuresCol)).takeAsList(1);
    if (first.isEmpty()) {
      throw new DataException(who + ": the training data is empty");
    }
    Object v = first.get(0).get(0);
    if (!(v instanceof Vector vec)) {
      throw new DataException(who + ": column '" + featuresCol + "' holds " + (v == null ? "null" : v.getClass()
          .getSimpleName()) + " in its first row, expected a vector");
    }
    return vec.size();
  }

  private static DataType columnType(Dataset<Row> df, String col, String who) {
    if (!Arrays.asList(df.columns()).contains(col)) {
      throw new DataException(who + ": there is no column '" + col + "'; the columns are "
          + Arrays.toString(df.columns()));
    }
    return df.schema().apply(col).dataType();
  }

  /** {@code d} with its label column cast to double, keeping its metadata (as Predictor.fit does); null stays null. */
  static Dataset<?> castLabel(Dataset<?> d, String label) {
    if (d == null || !Arrays.asList(d.columns()).contains(label)) {
      return d;
    }
    StructField f = d.schema().apply(label);
    return d.withColumn(label, d.col(Columns.quote(label)).cast("double"), f.metadata());
  }
}
