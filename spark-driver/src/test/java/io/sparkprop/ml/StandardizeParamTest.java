package io.sparkprop.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkprop.core.data.Preprocessing;
import io.sparkprop.core.model.Predictor;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkTestSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code standardize} param on a badly scaled table (columns in the thousands next to columns
 * in the thousandths): the fitted statistics are the sample mean and standard deviation,
 * transform equals standardising by hand and running the network, the statistics survive
 * save/load (also as the {@code preprocessing.json} a {@link Predictor} reads), and training
 * converges where the same network on the raw columns does worse.
 */
class StandardizeParamTest {
  private static final double[] SCALE = {1000, 0.001, 1, 100};
  private static final double[] SHIFT = {5000, 0, 0, -300};
  @TempDir
  static Path dir;
  @LocalSpark
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void start() {
    train = skewed(IrisLike.vectors(spark, 240, 1)).cache();
    test = skewed(IrisLike.vectors(spark, 90, 2)).cache();
  }

  private static Dataset<Row> skewed(Dataset<Row> df) {
    List<Row> out = new ArrayList<>();
    for (Row r : df.select("features", "label").collectAsList()) {
      double[] x = ((Vector) r.get(0)).toArray();
      for (int j = 0; j < x.length; j++) {
        x[j] = x[j] * SCALE[j] + SHIFT[j];
      }
      out.add(RowFactory.create(Vectors.dense(x), r.getDouble(1)));
    }
    return spark.createDataFrame(out, SparkTestSupport.SCHEMA);
  }

  private static NeuralNetClassifier classifier() {
    return new NeuralNetClassifier().setLayers(new int[] {4, 16, 3}).setMaxIter(15).setBlockSize(60)
        .setStepSize(0.03).setSeed(7);
  }

  private static double accuracy(Dataset<Row> predictions) {
    return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions);
  }

  @Test
  void standardizeIsOffByDefaultAndConvergesWhereRawColumnsDoWorse() {
    assertThat(new NeuralNetClassifier().getStandardize()).isFalse();
    assertThat(new NeuralNetRegressor().setStandardize(true).getStandardize()).isTrue();
    double raw = accuracy(classifier().fit(train).transform(test));
    double standardized = accuracy(classifier().setStandardize(true).fit(train).transform(test));
    assertThat(standardized).as("standardized %s, raw %s", standardized, raw).isGreaterThanOrEqualTo(0.9)
        .isGreaterThan(raw + 0.1);
  }

  @Test
  void transformEqualsStandardisingByHandThenTheNetworkAndSurvivesSaveLoad() throws Exception {
    NeuralNetClassificationModel model = classifier().setStandardize(true).fit(train);
    Preprocessing pre = model.trainedNetwork().preprocessing();
    List<Row> rows = train.collectAsList();
    int n = rows.size();
    for (int j = 0; j < 4; j++) {
      double sum = 0;
      for (Row r : rows) {
        sum += ((Vector) r.get(0)).apply(j);
      }
      double mean = sum / n;
      double sq = 0;
      for (Row r : rows) {
        double d = ((Vector) r.get(0)).apply(j) - mean;
        sq += d * d;
      }
      assertThat(pre.mean()[j]).isCloseTo(mean, within(1e-9 * Math.max(1, Math.abs(mean))));
      double scale = 1 / Math.sqrt(sq / (n - 1));
      assertThat(pre.scale()[j]).isCloseTo(scale, within(1e-9 * scale));
    }
    List<Row> out = model.transform(test).select("features", "probability").collectAsList();
    float[] x = new float[out.size() * 4];
    for (int i = 0; i < out.size(); i++) {
      Vector v = (Vector) out.get(i).get(0);
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (float) ((v.apply(j) - pre.mean()[j]) * pre.scale()[j]);
      }
    }
    float[] p = model.trainedNetwork().model().predict(x, out.size());
    for (int i = 0; i < out.size(); i++) {
      Vector prob = (Vector) out.get(i).get(1);
      for (int j = 0; j < 3; j++) {
        assertThat(prob.apply(j)).as("row %d class %d", i, j).isCloseTo(p[i * 3 + j], within(1e-6));
      }
    }

    String path = dir.resolve("standardized").toString();
    model.save(path);
    assertThat(Path.of(path, "data", Preprocessing.FILE)).content().contains("\"mean\"", "\"scale\"");
    NeuralNetClassificationModel loaded = NeuralNetClassificationModel.load(path);
    assertThat(loaded.trainedNetwork().preprocessing().mean()).containsExactly(pre.mean());
    List<Row> again = loaded.transform(test).select("probability").collectAsList();
    for (int i = 0; i < again.size(); i++) {
      assertThat(((Vector) again.get(i).get(0)).toArray()).containsExactly(((Vector) out.get(i).get(1)).toArray());
    }
    float[] raw = new float[out.size() * 4];
    for (int i = 0; i < out.size(); i++) {
      for (int j = 0; j < 4; j++) {
        raw[i * 4 + j] = (float) ((Vector) out.get(i).get(0)).apply(j);
      }
    }
    float[] java = Predictor.load(Path.of(path, "data")).predict(raw, out.size());
    for (int i = 0; i < java.length; i++) {
      assertThat((double) java[i]).isCloseTo(p[i], within(1e-4));
    }
  }
}
