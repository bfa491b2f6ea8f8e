package io.sparkprop.spark;

import static io.sparkprop.spark.SparkTestSupport.blobs;
import static io.sparkprop.spark.SparkTestSupport.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.data.DataException;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.SGD;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Bad data is refused before the first step, with the partition and row in the message. */
class BadInputTest {
  @LocalSpark
  private static SparkSession spark;

  static Model model() {
    return Model.init(Sequential.of(Shape.of(2), new Dense(3)), new SoftmaxCrossEntropy(), 1);
  }

  static SparkTrainer trainer() {
    return new SparkTrainer(TrainingConfig.DEFAULTS.withOptimizer(new SGD(0.1)).withEpochs(1),
        SparkOptions.DEFAULTS.withPartitions(2));
  }

  /** 6 blob rows in partitions of 3 and 3, row 4 (partition 1, row 1) replaced. */
  static Dataset<Row> withRow4(Row bad) {
    DataSet d = blobs(6, 1);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      rows.add(i == 4 ? bad : SparkTestSupport.row(d, i));
    }
    return spark.createDataFrame(
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2),
        SparkTestSupport.SCHEMA);
  }

  @Test
  void featureLengthOtherThanTheModelInput() {
    Model m = model();
    float[] before = m.params().clone();
    assertThatThrownBy(() -> trainer().fit(m, withRow4(RowFactory.create(Vectors.dense(1, 2, 3), 0.0)), null))
        .isExactlyInstanceOf(DataException.class)
        .hasMessageStartingWith("training data, partition 1, row 1: column 'features' has 3 values")
        .hasMessageContaining("needs 2");
    assertThat(m.params()).containsExactly(before);
  }

  @Test
  void nanAndInfiniteFeatures() {
    assertThatThrownBy(() -> trainer().fit(model(), withRow4(RowFactory.create(Vectors.dense(1, Double.NaN), 0.0)),
        null))
        .isExactlyInstanceOf(DataException.class)
        .hasMessageStartingWith("training data, partition 1, row 1: feature 1 is NaN");
    Dataset<Row> good = frame(spark, blobs(10, 2), 5, 5);
    assertThatThrownBy(() -> trainer().fit(model(), good,
        withRow4(RowFactory.create(Vectors.sparse(2, new int[] {0}, new double[] {Double.POSITIVE_INFINITY}), 1.0))))
        .hasMessageStartingWith("validation data, partition 1, row 1: feature 0 is Infinity");
  }

  @Test
  void labelOutsideTheClasses() {
    assertThatThrownBy(() -> trainer().fit(model(), withRow4(RowFactory.create(Vectors.dense(1, 2), 3.0)), null))
        .isExactlyInstanceOf(DataException.class)
        .hasMessageStartingWith("training data, partition 1, row 1: ")
        .hasMessageContaining("[0, 3)");
    assertThatThrownBy(() -> trainer().fit(model(), withRow4(RowFactory.create(Vectors.dense(1, 2), -1.0)), null))
        .hasMessageStartingWith("training data, partition 1, row 1: ");
  }

  @Test
  void nullValues() {
    assertThatThrownBy(() -> trainer().fit(model(), withRow4(RowFactory.create(null, 1.0)), null))
        .hasMessage("training data, partition 1, row 1: column 'features' is null");
  }

  @Test
  void emptyData() {
    Dataset<Row> empty = spark.createDataFrame(new ArrayList<Row>(), SparkTestSupport.SCHEMA);
    assertThatThrownBy(() -> trainer().fit(model(), empty, null))
        .isExactlyInstanceOf(DataException.class)
        .hasMessageStartingWith("training data: the data set is empty");
  }

  @Test
  void missingOrUnusableColumns() {
    Dataset<Row> d = frame(spark, blobs(4, 3), 2, 2);
    SparkTrainer t = new SparkTrainer(TrainingConfig.DEFAULTS, SparkOptions.DEFAULTS.withColumns("pixels", "label"));
    assertThatThrownBy(() -> t.fit(model(), d, null))
        .hasMessage("training data: there is no column 'pixels'; the columns are [features, label]");
    StructType s = new StructType().add("features", DataTypes.StringType).add("label", DataTypes.DoubleType);
    Dataset<Row> text = spark.createDataFrame(List.of(RowFactory.create("1,2", 0.0)), s);
    assertThatThrownBy(() -> trainer().fit(model(), text, null))
        .hasMessageContaining("column 'features' is string but features must be a vector or an array of numbers");
  }

  @Test
  void arraysAndVectorLabelsAreAccepted() {
    // Regression with two outputs: features as array<float>, targets as a vector.
    StructType s = new StructType().add("x", DataTypes.createArrayType(DataTypes.FloatType))
        .add("y", org.apache.spark.ml.linalg.SQLDataTypes.VectorType());
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      float a = i / 40f;
      rows.add(RowFactory.create(List.of(a, 1 - a).toArray(new Float[0]), Vectors.dense(2 * a, -a)));
    }
    Dataset<Row> d = spark.createDataFrame(rows, s);
    Model m = Model.init(Sequential.of(Shape.of(2), new Dense(2)), new MeanSquaredError(), 1);
    var h = new SparkTrainer(TrainingConfig.DEFAULTS.withOptimizer(new SGD(0.5)).withEpochs(30).withBatchSize(8),
        SparkOptions.DEFAULTS.withColumns("x", "y").withPartitions(2)).fit(m, d, null);
    assertThat(h.last().samples()).isEqualTo(40);
    assertThat(h.last().loss()).isLessThan(h.epochs().get(0).loss() / 10);
  }
}
