package io.sparkprop.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.spark.SparkTestSupport;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NeuralNetClassifierTest {
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.session("NeuralNetClassifierTest");
    train = IrisLike.vectors(spark, 300, 1).cache();
    test = IrisLike.vectors(spark, 150, 2).cache();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void fitsAndPredictsWithSparkColumns() {
    NeuralNetClassifier nn = new NeuralNetClassifier().setLayers(new int[] {4, 16, 3}).setMaxIter(30)
        .setBlockSize(32).setStepSize(0.01).setSeed(7);
    NeuralNetClassificationModel model = nn.fit(train);
    assertThat(model.numClasses()).isEqualTo(3);
    assertThat(model.numFeatures()).isEqualTo(4);
    List<Row> out = model.transform(test).select("label", "rawPrediction", "probability", "prediction")
        .collectAsList();
    long correct = 0;
    for (Row r : out) {
      Vector raw = r.getAs(1);
      Vector prob = r.getAs(2);
      double sum = 0;
      for (int i = 0; i < 3; i++) {
        sum += prob.apply(i);
      }
      assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(r.getDouble(3)).isEqualTo((double) raw.argmax());
      correct += r.getDouble(0) == r.getDouble(3) ? 1 : 0;
    }
    assertThat(correct / (double) out.size()).isGreaterThan(0.9);
    assertThat(model.summary().objectiveHistory()).hasSize(30);
  }
}
