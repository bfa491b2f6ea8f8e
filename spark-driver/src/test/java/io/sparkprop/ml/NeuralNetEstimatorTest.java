package io.sparkprop.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparkprop.core.data.DataException;
import io.sparkprop.core.optim.SGD;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkTestSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classifier and the regressor on small synthetic data: columns, params, JSON configs, validation, errors, persistence. */
class NeuralNetEstimatorTest {
  @TempDir
  static Path dir;
  @LocalSpark
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void start() {
    train = IrisLike.vectors(spark, 240, 1).cache();
    test = IrisLike.vectors(spark, 90, 2).cache();
  }

  private static NeuralNetClassifier small() {
    return new NeuralNetClassifier().setLayers(new int[] {4, 16, 3}).setMaxIter(12).setBlockSize(60)
        .setStepSize(0.03).setSeed(7);
  }

  private static double accuracy(Dataset<Row> predictions) {
    return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions);
  }

  /** The message of the first DataException or IllegalArgumentException in the cause chain. */
  private static String error(Runnable r) {
    try {
      r.run();
    } catch (Exception e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof DataException || c instanceof IllegalArgumentException) {
          return c.getMessage();
        }
      }
      throw new AssertionError("unexpected " + e, e);
    }
    throw new AssertionError("nothing was thrown");
  }

  @Test
  void classifierAddsSparksColumnsWithTheirSemantics() {
    NeuralNetClassificationModel model = small().fit(train);
    assertThat(model.numClasses()).isEqualTo(3);
    assertThat(model.numFeatures()).isEqualTo(4);
    Dataset<Row> out = model.transform(test);
    assertThat(accuracy(out)).isGreaterThan(0.9);
    for (Row r : out.select("rawPrediction", "probability", "prediction").collectAsList()) {
      double[] raw = ((Vector) r.get(0)).toArray();
      double[] prob = ((Vector) r.get(1)).toArray();
      double max = Math.max(raw[0], Math.max(raw[1], raw[2]));
      double z = Math.exp(raw[0] - max) + Math.exp(raw[1] - max) + Math.exp(raw[2] - max);
      for (int i = 0; i < 3; i++) {
        assertThat(prob[i]).isCloseTo(Math.exp(raw[i] - max) / z, within(1e-12));
      }
      assertThat(r.getDouble(2)).isEqualTo(new DenseVector(raw).argmax());
    }
    double[] objective = model.summary().objectiveHistory();
    assertThat(objective).hasSize(12);
    assertThat(objective[11]).isLessThan(objective[0] / 2);
    assertThat(model.summary().totalIterations()).isEqualTo(12);
    assertThat(model.getLayers()).containsExactly(4, 16, 3);
    assertThat(model.weights().size()).isEqualTo(4 * 16 + 16 + 16 * 3 + 3);
    // thresholds: a zero threshold makes its class win whenever its probability is positive
    assertThat(model.copy(new org.apache.spark.ml.param.ParamMap()).setThresholds(new double[] {1, 1, 0})
        .transform(test).select("prediction").distinct().collectAsList()).extracting(r -> r.getDouble(0))
        .containsExactly(2.0);
  }

  @Test
  void multilayerPerceptronCodeRunsAfterChangingTheClassName() {
    // MLlib's documentation example with the class name changed (and fewer iterations)
    int[] layers = new int[] {4, 5, 4, 3};
    NeuralNetClassifier trainer = new NeuralNetClassifier().setLayers(layers).setBlockSize(128).setSeed(1234L)
        .setMaxIter(10).setTol(1e-6).setStepSize(0.1).setSolver("gd").setFeaturesCol("features")
        .setLabelCol("label").setPredictionCol("prediction").setProbabilityCol("probability")
        .setRawPredictionCol("rawPrediction");
    NeuralNetClassificationModel model = trainer.fit(train);
    Dataset<Row> result = model.transform(test);
    assertThat(result.columns()).contains("rawPrediction", "probability", "prediction");
    assertThat(accuracy(result)).isGreaterThan(0.6);
    assertThat(model.summary().trainingConfig().optimizer()).isEqualTo(new SGD(0.1, 0, false, 0));
    assertThat(trainer.explainParams()).contains("blockSize: global mini-batch size", "solver: the optimizer");
    assertThatThrownBy(() -> trainer.setSolver("l-bfgs")).hasMessageContaining("solver given invalid value l-bfgs");
  }

  @Test
  void sameSeedGivesTheSameWeights() {
    NeuralNetClassifier nn = small().setMaxIter(2);
    assertThat(nn.fit(train).weights()).isEqualTo(nn.fit(train).weights());
    assertThat(nn.copy(new org.apache.spark.ml.param.ParamMap()).setSeed(8).fit(train).weights())
        .isNotEqualTo(nn.fit(train).weights());
  }

  /**
   * Issue 14: setWeightCol as spark.ml's other classifiers. Weight 2 on every row is the
   * unweighted run bit for bit (Σ 2·g / Σ 2 scales by a power of two: exact in floats); weight 0
   * on class 2 means that class is never learnt.
   */
  @Test
  void weightColumnWeighsTheRowsLossAndGradient() {
    NeuralNetClassifier nn = small().setMaxIter(4);
    Dataset<Row> doubled = train.withColumn("w", functions.lit(2.0));
    Dataset<Row> noClass2 = train.withColumn("w", functions.when(functions.col("label").equalTo(2), 0.0)
        .otherwise(1.0));
    assertThat(nn.copy(new org.apache.spark.ml.param.ParamMap()).setWeightCol("w").fit(doubled).weights())
        .isEqualTo(nn.fit(train).weights());
    NeuralNetClassifier weighted = small().setWeightCol("w");
    assertThat(weighted.getWeightCol()).isEqualTo("w");
    long predicted2 = weighted.fit(noClass2).transform(test).filter("prediction = 2").count();
    long actual2 = test.filter("label = 2").count();
    assertThat(small().fit(noClass2).transform(test).filter("prediction = 2").count()).isGreaterThan(actual2 / 2);
    assertThat(predicted2).isLessThan(actual2 / 4);
    assertThatThrownBy(() -> small().setWeightCol("label2").fit(noClass2))
        .hasMessageContaining("there is no column 'label2'");
  }

  @Test
  void jsonConfigsAndExplicitParamsCombine() {
    String modelJson = "{\"layers\": [{\"type\": \"dense\", \"units\": 12}, {\"type\": \"tanh\"},"
        + " {\"type\": \"dropout\", \"rate\": 0.1}, {\"type\": \"dense\", \"units\": 3}]}";
    String trainingJson = "{\"optimizer\": {\"type\": \"sgd\", \"learningRate\": 0.5, \"momentum\": 0.9},"
        + " \"epochs\": 4, \"batchSize\": 80}";
    NeuralNetClassifier nn = new NeuralNetClassifier().setModelConfig(modelJson).setTrainingConfig(trainingJson)
        .setStepSize(0.05);
    NeuralNetClassificationModel m = nn.fit(train);
    assertThat(m.summary().totalIterations()).isEqualTo(4);
    assertThat(m.summary().trainingConfig().optimizer()).isEqualTo(new SGD(0.05, 0.9, false, 0));
    assertThat(m.summary().trainingConfig().batchSize()).isEqualTo(80);
    assertThat(m.network().architecture().layers()).hasSize(4);
    assertThat(accuracy(m.transform(test))).isGreaterThan(0.8);
    assertThat(error(() -> new NeuralNetClassifier().setModelConfig("{\"layers\": [{\"type\": \"dense\", "
        + "\"unit\": 3}]}").fit(train))).startsWith("modelConfig: ").contains("unit");
  }

  @Test
  void initialWeightsReplaceTheSeededInitialisation() {
    Vector w = small().setMaxIter(1).fit(train).weights();
    double[] start = w.toArray();
    double[] after = small().setMaxIter(1).setStepSize(1e-12).setInitialWeights(w).fit(train).weights().toArray();
    for (int i = 0; i < start.length; i++) {
      assertThat(after[i]).isCloseTo(start[i], within(1e-6));
    }
    assertThat(error(() -> small().setInitialWeights(Vectors.dense(1, 2)).fit(train)))
        .endsWith("initialWeights has 2 values but the network has 131 parameters");
  }

  @Test
  void earlyStoppingOnAValidationFraction() {
    // tol 100: no epoch improves enough, so training stops after patience (1) epoch without improvement
    NeuralNetClassificationModel m = small().setMaxIter(10).setValidationFraction(0.25).setEarlyStoppingPatience(1)
        .setTol(100).fit(train);
    assertThat(m.summary().totalIterations()).isEqualTo(2);
    assertThat(m.summary().trainingConfig().earlyStopping().monitor()).isEqualTo("val_loss");
    assertThat(java.util.Arrays.stream(m.summary().metric("val_loss"))).allMatch(Double::isFinite);
  }

  @Test
  void validationDataFrameOrIndicatorColumn() {
    NeuralNetClassificationModel m = small().setMaxIter(2).fit(train, test);
    assertThat(java.util.Arrays.stream(m.summary().metric("val_accuracy"))).hasSize(2).allMatch(v -> v > 0.3);
    Dataset<Row> flagged = train.withColumn("isVal", functions.rand(3).lt(0.3));
    long trainRows = flagged.filter("NOT isVal").count();
    NeuralNetClassificationModel f = small().setMaxIter(2).setValidationIndicatorCol("isVal").fit(flagged);
    assertThat(f.summary().history().last().samples()).isEqualTo(trainRows);
    assertThat(java.util.Arrays.stream(f.summary().metric("val_loss"))).allMatch(Double::isFinite);
    assertThat(error(() -> small().setValidationIndicatorCol("label").fit(train)))
        .endsWith("validationIndicatorCol 'label' is double, expected boolean");
  }

  @Test
  void sigmoidBinaryClassifierGivesLogisticColumns() {
    Dataset<Row> two = train.filter("label < 2");
    NeuralNetClassificationModel m = new NeuralNetClassifier().setModelConfig("{\"layers\": [{\"type\": \"dense\","
        + " \"units\": 8}, {\"type\": \"relu\"}, {\"type\": \"dense\", \"units\": 1}], \"loss\": {\"type\":"
        + " \"sigmoid_binary_cross_entropy\"}}").setMaxIter(10).setBlockSize(40).setStepSize(0.03).fit(two);
    assertThat(m.numClasses()).isEqualTo(2);
    Dataset<Row> out = m.transform(test.filter("label < 2"));
    assertThat(accuracy(out)).isGreaterThan(0.9);
    Row r = out.select("rawPrediction", "probability").first();
    double[] raw = ((Vector) r.get(0)).toArray();
    double[] prob = ((Vector) r.get(1)).toArray();
    assertThat(raw[0]).isEqualTo(-raw[1]);
    assertThat(prob[1]).isCloseTo(1 / (1 + Math.exp(-raw[1])), within(1e-12));
    assertThat(prob[0] + prob[1]).isCloseTo(1, within(1e-12));
  }

  @Test
  void sparseFeaturesPredictAsTheirDenseForm() {
    NeuralNetClassificationModel m = small().setMaxIter(3).fit(train.select(functions.col("label"),
        functions.udf((Vector v) -> v.toSparse(), SQLDataTypes.VectorType()).apply(functions.col("features"))
            .as("features")));
    Row dense = test.first();
    Vector v = dense.getAs("features");
    assertThat(m.predictProbability(v.toSparse())).isEqualTo(m.predictProbability(v));
  }

  @Test
  void badDataAndConfigurationsAreExplained() {
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create(Vectors.dense(1, 2, 3, 4), 0.0));
    rows.add(RowFactory.create(Vectors.dense(1, 2, 3, 4), 3.0));
    assertThat(error(() -> small().fit(spark.createDataFrame(rows, schema).coalesce(1))))
        .isEqualTo("training data, partition 0, row 1: label 3.0 is not an integer class in [0, 3)");
    rows.set(1, RowFactory.create(Vectors.dense(1, 2, 3, 4), 1.5));
    assertThat(error(() -> small().fit(spark.createDataFrame(rows, schema).coalesce(1))))
        .endsWith("row 1: label 1.5 is not an integer class in [0, 3)");
    rows.set(1, RowFactory.create(Vectors.dense(1, 2, 3), 1.0));
    assertThat(error(() -> small().fit(spark.createDataFrame(rows, schema).coalesce(1))))
        .endsWith("row 1: column 'features' has 3 values but the model's input needs 4");
    assertThat(error(() -> small().setFeaturesCol("feats").fit(train))).contains("feats");
    Dataset<Row> fourClasses = new StringIndexer().setInputCol("name").setOutputCol("label").fit(
        spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2, 3, 4), "a"),
            RowFactory.create(Vectors.dense(1, 2, 3, 4), "b"), RowFactory.create(Vectors.dense(1, 2, 3, 4), "c"),
            RowFactory.create(Vectors.dense(1, 2, 3, 4), "d")),
            new StructType().add("features", SQLDataTypes.VectorType()).add("name", DataTypes.StringType)))
        .transform(spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2, 3, 4), "a")),
            new StructType().add("features", SQLDataTypes.VectorType()).add("name", DataTypes.StringType)));
    assertThat(error(() -> small().fit(fourClasses)))
        .endsWith("label column 'label' has 4 classes (from its metadata) but the network has 3 outputs; "
            + "make the last layer 4 wide");
    assertThat(error(() -> new NeuralNetClassifier().fit(train))).endsWith("set layers (e.g. setLayers(new int[] "
        + "{4, 16, 3}): 4 inputs, 16 hidden units, 3 outputs) or modelConfig");
    assertThat(error(() -> new NeuralNetClassifier().setModelConfig("{\"layers\": [{\"type\": \"dense\", \"units\": "
        + "3}], \"loss\": {\"type\": \"mean_squared_error\"}}").fit(train)))
        .contains("a classifier needs softmax_cross_entropy with 2 or more outputs");
    assertThat(error(() -> new NeuralNetRegressor().setLayers(new int[] {4, 3}).fit(train)))
        .contains("a regressor needs a network with 1 output and a regression loss");
    assertThatThrownBy(() -> small().setLayers(new int[] {4})).hasMessageContaining("layers given invalid value");
  }

  @Test
  void regressorLearnsALinearFunctionWithEachLoss() {
    io.sparkprop.core.tensor.Rng rng = new io.sparkprop.core.tensor.Rng(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      double a = rng.nextGaussian();
      double b = rng.nextGaussian();
      rows.add(RowFactory.create(Vectors.dense(a, b), 2 * a - b + 0.5 + 0.05 * rng.nextGaussian()));
    }
    Dataset<Row> data = spark.createDataFrame(rows, SparkTestSupport.SCHEMA).cache();
    for (String loss : NeuralNetRegressor.LOSSES) {
      NeuralNetRegressionModel m = new NeuralNetRegressor().setLayers(new int[] {2, 16, 1}).setLoss(loss)
          .setMaxIter(12).setBlockSize(75).setStepSize(0.05).setSeed(3).fit(data);
      double rmse = new RegressionEvaluator().setMetricName("rmse").evaluate(m.transform(data));
      assertThat(rmse).as(loss).isLessThan(0.5); // the labels' standard deviation is about 2.2
      assertThat(m.getLoss()).isEqualTo(loss);
    }
  }

  @Test
  void savedModelsAndEstimatorsLoadBackIdentically() throws Exception {
    NeuralNetClassifier nn = small().setMaxIter(3).setValidationFraction(0.2);
    NeuralNetClassificationModel m = nn.fit(train);
    String mp = dir.resolve("classifier-model").toUri().toString();
    m.save(mp);
    NeuralNetClassificationModel back = NeuralNetClassificationModel.load(mp);
    assertThat(back.uid()).isEqualTo(m.uid());
    assertThat(back.getLayers()).containsExactly(4, 16, 3);
    assertThat(back.getValidationFraction()).isEqualTo(0.2);
    assertThat(back.summary().objectiveHistory()).containsExactly(m.summary().objectiveHistory());
    assertThat(back.summary().trainingConfig()).isEqualTo(m.summary().trainingConfig());
    assertThat(back.transform(test).select("probability").collectAsList())
        .isEqualTo(m.transform(test).select("probability").collectAsList());
    String ep = dir.resolve("classifier").toUri().toString();
    nn.save(ep);
    NeuralNetClassifier nnBack = NeuralNetClassifier.load(ep);
    assertThat(nnBack.uid()).isEqualTo(nn.uid());
    assertThat(nnBack.getLayers()).containsExactly(nn.getLayers());
    assertThat(nnBack.getStepSize()).isEqualTo(0.03);
    assertThat(nnBack.getValidationFraction()).isEqualTo(0.2);
    assertThat(nnBack.isSet(nnBack.modelConfig())).isFalse();

    NeuralNetRegressionModel r = new NeuralNetRegressor().setLayers(new int[] {4, 8, 1}).setMaxIter(2)
        .setLoss("huber").fit(train);
    String rp = dir.resolve("regression-model").toUri().toString();
    r.write().overwrite().save(rp);
    NeuralNetRegressionModel rBack = NeuralNetRegressionModel.load(rp);
    assertThat(rBack.getLoss()).isEqualTo("huber");
    assertThat(rBack.transform(test).select("prediction").collectAsList())
        .isEqualTo(r.transform(test).select("prediction").collectAsList());
    assertThat(io.sparkprop.core.io.ModelIO.load(dir.resolve("regression-model").resolve("data")).params())
        .containsExactly(r.network().params());
  }
}
