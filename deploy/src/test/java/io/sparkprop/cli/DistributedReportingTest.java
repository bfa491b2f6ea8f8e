package io.sparkprop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.loss.SigmoidBinaryCrossEntropy;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.metrics.MetricOptions;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkTestSupport;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, the Spark side of the CLI's reporting: the stratified validation split and the
 * metrics of {@code evaluate}/{@code metrics.json} summed per partition.
 */
class DistributedReportingTest {
  @LocalSpark
  private static SparkSession spark;

  /** {@code counts[c]} samples of class c, features distinct per row, in {@code parts} partitions. */
  private static DataSet classes(int... counts) {
    int n = 0;
    for (int c : counts) {
      n += c;
    }
    float[] x = new float[n * 2];
    float[] y = new float[n];
    int r = 0;
    for (int c = 0; c < counts.length; c++) {
      for (int i = 0; i < counts[c]; i++, r++) {
        x[2 * r] = c;
        x[2 * r + 1] = i;
        y[r] = c;
      }
    }
    return new DataSet(Shape.of(2), 1, n, x, y);
  }

  private static Map<Double, Long> perClass(Dataset<Row> df) {
    Map<Double, Long> m = new TreeMap<>();
    for (Row r : df.groupBy("label").count().collectAsList()) {
      m.put(r.getDouble(0), r.getLong(1));
    }
    return m;
  }

  @Test
  void stratifiedSplitHoldsOutTheFractionOfEachClassExactlyAndRepeatsForASeed() {
    DataSet d = classes(500, 300, 7, 15);
    Dataset<Row> df = SparkTestSupport.frame(spark, d, SparkTestSupport.even(d.size(), 3));
    ValidationSplit.Parts a = ValidationSplit.split(df, 0.1, 42, true);
    // 10% of 500, 300 and 15 (1.5 rounds up to the 2nd smallest key: u <= the 0.1-quantile);
    // 7 · 0.1 < 1: the small class stays whole in training
    assertThat(perClass(a.validation())).isEqualTo(Map.of(0.0, 50L, 1.0, 30L, 3.0, 2L));
    assertThat(perClass(a.train())).isEqualTo(Map.of(0.0, 450L, 1.0, 270L, 2.0, 7L, 3.0, 13L));
    assertThat(a.train().union(a.validation()).distinct().count()).isEqualTo(d.size());
    assertThat(a.labels()).as("the groups of the split's one aggregation").containsExactlyInAnyOrder(0.0, 1.0, 2.0, 3.0);
    assertThat(a.trainEmpty()).isFalse();
    ValidationSplit.Parts b = ValidationSplit.split(df.repartition(5), 0.1, 42, true);
    assertThat(b.validation().exceptAll(a.validation()).count()).as("same seed, other partitioning").isZero();
    ValidationSplit.Parts c = ValidationSplit.split(df, 0.1, 43, true);
    assertThat(c.validation().exceptAll(a.validation()).count()).as("another seed").isPositive();
    ValidationSplit.Parts r = ValidationSplit.split(df, 0.25, 42, false);
    assertThat(r.validation().count()).isEqualTo(206); // 25% of 822 = 205.5: the 206th smallest key
    assertThat(ValidationSplit.split(SparkTestSupport.frame(spark, classes(9, 5), 14), 0.1, 42, true).validation())
        .as("no class of 10 rows: nothing to hold out").isNull();
  }

  @Test
  void theSplitKnowsWhenDuplicateRowsLeaveNoTrainingRow() {
    // 20 copies of one row share one key: the cut takes them all, and the split says so without a job
    DataSet same = new DataSet(Shape.of(2), 1, 20, new float[40], new float[20]);
    ValidationSplit.Parts p = ValidationSplit.split(SparkTestSupport.frame(spark, same, 20), 0.1, 42, true);
    assertThat(p.train().isEmpty()).isTrue();
    assertThat(p.trainEmpty()).isTrue();
    assertThat(p.labels()).containsExactly(0.0);
  }

  private static Model mlp(int outputs, Loss loss) {
    return Model.init(Sequential.of(Shape.of(2), new Dense(8), new ReLU(), new Dense(outputs)), loss, 3);
  }

  /** The metrics of Scoring (per-partition sums merged on the driver) equal the single-JVM ones. */
  private static void assertDistributedEqualsLocal(Model m, DataSet d, String... expectedKeys) {
    Dataset<Row> df = SparkTestSupport.frame(spark, d, 70, 0, 130, 100);
    Evaluation.Result r = Scoring.evaluate(m, df, "test data", MetricOptions.DEFAULTS.withTopK(2));
    Map<String, Double> local = m.metrics(d, MetricOptions.DEFAULTS.withTopK(2)).values();
    Map<String, Double> spark = r.metrics().values();
    assertThat(spark.keySet()).containsExactlyElementsOf(local.keySet()).contains(expectedKeys);
    for (String k : local.keySet()) {
      assertThat(spark.get(k)).as(k).isCloseTo(local.get(k), within(1e-9));
    }
    assertThat(r.sums().meanLoss()).isCloseTo(m.evaluate(d).meanLoss(), within(1e-9));
    ObjectNode json = Json.mapper().createObjectNode();
    r.putInto(json, "test");
    for (String k : expectedKeys) {
      assertThat(json.path("test_" + k).asDouble()).as(k).isEqualTo(spark.get(k));
    }
  }

  @Test
  void metricsSummedPerPartitionEqualTheSingleJvmOnes() {
    DataSet blobs = SparkTestSupport.blobs(300, 8);
    Model three = mlp(3, new SoftmaxCrossEntropy());
    assertDistributedEqualsLocal(three, blobs, "accuracy", "top_2_accuracy", "log_loss", "f1_macro",
        "precision_weighted", "recall_weighted");
    ObjectNode json = Json.mapper().createObjectNode();
    Evaluation.Result r = Scoring.evaluate(three, SparkTestSupport.frame(spark, blobs, 300), "t");
    r.putInto(json, "test");
    assertThat(json.path("test_per_class").size()).isEqualTo(3);
    assertThat(json.path("test_per_class").path("2").path("support").asLong()
        + json.path("test_per_class").path("1").path("support").asLong()
        + json.path("test_per_class").path("0").path("support").asLong()).isEqualTo(300);
    assertThat(r.report()).contains("macro avg", "weighted avg");
    assertThat(r.line()).contains(" - f1_macro ");

    float[] y = blobs.labels().clone();
    for (int i = 0; i < y.length; i++) {
      y[i] = y[i] == 0 ? 1 : 0;
    }
    DataSet binary = new DataSet(Shape.of(2), 1, 300, blobs.features(), y);
    assertDistributedEqualsLocal(mlp(1, new SigmoidBinaryCrossEntropy()), binary, "roc_auc", "pr_auc", "f1_macro");

    float[] t = new float[300];
    for (int i = 0; i < t.length; i++) {
      t[i] = blobs.features()[2 * i] - 0.5f * blobs.features()[2 * i + 1];
    }
    DataSet regression = new DataSet(Shape.of(2), 1, 300, blobs.features(), t);
    assertDistributedEqualsLocal(mlp(1, new MeanSquaredError()), regression, "mse", "rmse", "mae", "r2");
    assertThat(Scoring.evaluate(mlp(1, new MeanSquaredError()), SparkTestSupport.frame(spark, regression, 300), "t")
        .line()).contains(" - rmse ", " - mae ", " - r2 ").doesNotContain("accuracy");
  }
}
