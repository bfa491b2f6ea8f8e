package io.sparkprop.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.spark.LocalSpark;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/** The classifier inside Pipelines (StringIndexer, VectorAssembler, StandardScaler), saved Pipelines, CrossValidator and TrainValidationSplit. */
@Tag("slow")
class PipelineTuningTest {
  @TempDir
  static Path dir;
  @LocalSpark
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void start() {
    train = IrisLike.raw(spark, 180, 1).cache();
    test = IrisLike.raw(spark, 90, 2).cache();
  }

  private static NeuralNetClassifier nn() {
    return new NeuralNetClassifier().setLayers(new int[] {4, 16, 3}).setMaxIter(5).setBlockSize(90)
        .setStepSize(0.1).setSeed(11);
  }

  private static Pipeline pipeline(NeuralNetClassifier nn) {
    return new Pipeline().setStages(new PipelineStage[] {
        new StringIndexer().setInputCol("species").setOutputCol("label"),
        new VectorAssembler().setInputCols(new String[] {"x1", "x2", "x3", "x4"}).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
        nn});
  }

  private static MulticlassClassificationEvaluator accuracy() {
    return new MulticlassClassificationEvaluator().setMetricName("accuracy");
  }

  private static NeuralNetClassificationModel last(PipelineModel m) {
    return (NeuralNetClassificationModel) m.stages()[m.stages().length - 1];
  }

  @Test
  void pipelinesTrainSaveAndLoad() throws Exception {
    Pipeline p = pipeline(nn());
    PipelineModel m = p.fit(train);
    assertThat(accuracy().evaluate(m.transform(test))).isGreaterThan(0.9);

    String mp = dir.resolve("pipeline-model").toUri().toString();
    m.save(mp);
    PipelineModel back = PipelineModel.load(mp);
    assertThat(last(back).summary().totalIterations()).isEqualTo(5);
    assertThat(back.transform(test).select("probability", "prediction").collectAsList())
        .isEqualTo(m.transform(test).select("probability", "prediction").collectAsList());

    String pp = dir.resolve("pipeline").toUri().toString();
    p.save(pp);
    Pipeline pBack = Pipeline.load(pp);
    assertThat(pBack.getStages()[3]).isInstanceOf(NeuralNetClassifier.class);
    assertThat(last(pBack.fit(train)).weights()).isEqualTo(last(m).weights());
  }

  @Test
  void crossValidatorSearchesLearningRatesAndHiddenSizes() {
    NeuralNetClassifier nn = nn();
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(nn.stepSize(), new double[] {0.001, 0.1})
        .addGrid(nn.layers(), CollectionConverters.asScala(List.of(new int[] {4, 4, 3}, new int[] {4, 16, 3})))
        .build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(pipeline(nn)).setEstimatorParamMaps(grid)
        .setEvaluator(accuracy()).setNumFolds(2).setSeed(5).fit(train);
    double[] metrics = cv.avgMetrics();
    assertThat(metrics).hasSize(4);
    NeuralNetClassificationModel best = last((PipelineModel) cv.bestModel());
    assertThat(best.getStepSize()).isEqualTo(0.1);
    int bestIndex = 0;
    for (int i = 1; i < metrics.length; i++) {
      bestIndex = metrics[i] > metrics[bestIndex] ? i : bestIndex;
    }
    assertThat(best.getLayers()).containsExactly(grid[bestIndex].apply(nn.layers()));
    assertThat(accuracy().evaluate(cv.transform(test))).isGreaterThan(0.9);
  }

  @Test
  void trainValidationSplitSearchesTheSameGrid() {
    NeuralNetClassifier nn = nn();
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(nn.stepSize(), new double[] {0.001, 0.1})
        .addGrid(nn.layers(), CollectionConverters.asScala(List.of(new int[] {4, 4, 3}, new int[] {4, 16, 3})))
        .build();
    TrainValidationSplitModel tvs = new TrainValidationSplit().setEstimator(pipeline(nn))
        .setEstimatorParamMaps(grid).setEvaluator(accuracy()).setTrainRatio(0.7).setSeed(5).fit(train);
    assertThat(tvs.validationMetrics()).hasSize(4);
    assertThat(Arrays.stream(tvs.validationMetrics()).max().orElseThrow()).isGreaterThan(0.85);
    assertThat(last((PipelineModel) tvs.bestModel()).getStepSize()).isEqualTo(0.1);
  }
}
