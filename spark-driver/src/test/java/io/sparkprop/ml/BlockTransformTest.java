package io.sparkprop.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.layer.Tanh;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.loss.SigmoidBinaryCrossEntropy;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.spark.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * transform in blocks against Spark's per-row transform: bit for bit with blocks of one row and of
 * 1,024 rows (the inference kernel is row-stable, see {@link StableTransformTest} for the other
 * layer kinds), and bit for bit the network's inference pass over the same blocks; same columns,
 * order and schema; dense and sparse features.
 */
class BlockTransformTest {
  private static final int N = 2500;
  private static final int IN = 20;
  @TempDir
  static Path dir;
  @LocalSpark static SparkSession spark;
  /** One partition (so the blocks are rows [0, 1024), [1024, 2048), [2048, 2500)); every 7th row sparse. */
  private static Dataset<Row> data;
  private static float[] features;

  @BeforeAll
  static void start() {
    Rng rng = new Rng(5);
    features = new float[N * IN];
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      double[] v = new double[IN];
      for (int j = 0; j < IN; j++) {
        v[j] = (i % 7 == 0 && j % 3 != 0) ? 0 : rng.nextGaussian();
        features[i * IN + j] = (float) v[j];
      }
      rows.add(RowFactory.create(i, i % 7 == 0 ? Vectors.dense(v).toSparse() : Vectors.dense(v)));
    }
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("features", SQLDataTypes.VectorType());
    data = spark.createDataFrame(rows, schema).coalesce(1).cache();
  }


  private static Model network(Loss loss, int out) {
    return Model.init(Sequential.of(Shape.of(IN), new Dense(64), new ReLU(), new Dense(32), new Tanh(), new Dense(out)),
        loss, 3);
  }

  /** The network's raw inference outputs computed on the driver over blocks of {@code block} rows. */
  private static float[] blockwise(Model m, int block) {
    Network net = m.architecture().network();
    int w = m.outputSize();
    float[] out = new float[N * w];
    for (int from = 0; from < N; from += block) {
      int b = Math.min(block, N - from);
      float[] y = net.predict(m.params(), Arrays.copyOfRange(features, from * IN, (from + b) * IN), null, null, b);
      System.arraycopy(y, 0, out, from * w, b * w);
    }
    return out;
  }

  /** The rows in input order (one partition, and both transforms keep the order), checked by id. */
  private static List<Row> sorted(Dataset<Row> d) {
    List<Row> rows = d.collectAsList();
    for (int i = 0; i < rows.size(); i++) {
      assertThat((int) rows.get(i).getAs("id")).isEqualTo(i);
    }
    return rows;
  }

  private static double[] vec(Row r, String col) {
    return ((Vector) r.getAs(col)).toArray();
  }

  @Test
  void blocksOfOneRowGiveThePerRowResultsBitForBit() {
    for (NeuralNetClassificationModel m : List.of(
        new NeuralNetClassificationModel("c", network(new SoftmaxCrossEntropy(), 5), null),
        new NeuralNetClassificationModel("b", network(new SigmoidBinaryCrossEntropy(), 1), null))) {
      m.setPredictionBlockSize(1);
      Dataset<Row> blocked = m.transform(data);
      Dataset<Row> perRow = m.transformPerRow(data);
      assertThat(blocked.schema().prettyJson()).isEqualTo(perRow.schema().prettyJson());
      assertThat(blocked.columns()).containsExactly("id", "features", "rawPrediction", "probability", "prediction");
      assertThat(sorted(blocked)).isEqualTo(sorted(perRow));
    }
    NeuralNetRegressionModel r = new NeuralNetRegressionModel("r", network(new MeanSquaredError(), 1), null);
    r.setPredictionBlockSize(1);
    assertThat(r.transform(data).schema().json()).isEqualTo(r.transformPerRow(data).schema().json());
    assertThat(sorted(r.transform(data))).isEqualTo(sorted(r.transformPerRow(data)));
  }

  @Test
  void blocksOf1024RowsAreTheInferencePassAndThePerRowResultsBitForBit() {
    Model net = network(new SoftmaxCrossEntropy(), 5);
    NeuralNetClassificationModel m = new NeuralNetClassificationModel("c", net, null);
    assertThat(m.getPredictionBlockSize()).isEqualTo(1024);
    float[] raw = blockwise(net, 1024);
    Dataset<Row> out = m.transform(data);
    assertThat(out.schema().json()).isEqualTo(m.transformPerRow(data).schema().json());
    List<Row> rows = sorted(out);
    List<Row> perRow = sorted(m.transformPerRow(data));
    for (int i = 0; i < N; i++) {
      Row r = rows.get(i);
      double[] expected = new double[5];
      for (int j = 0; j < 5; j++) {
        expected[j] = raw[i * 5 + j];
      }
      assertThat(vec(r, "rawPrediction")).containsExactly(expected);
      Vector p = m.raw2probability(new DenseVector(expected));
      assertThat(vec(r, "probability")).containsExactly(p.toArray());
      assertThat((double) r.getAs("prediction")).isEqualTo(m.raw2prediction(new DenseVector(expected)));
      assertThat(r).isEqualTo(perRow.get(i));
    }
  }

  @Test
  void onlyThePredictionColumnWithThresholdsAndARegressionModel() {
    Model net = network(new SoftmaxCrossEntropy(), 5);
    NeuralNetClassificationModel m = new NeuralNetClassificationModel("c", net, null);
    m.setRawPredictionCol("").setProbabilityCol("").setThresholds(new double[] {0.5, 1, 2, 1, 0.2});
    assertThat(m.transform(data).columns()).containsExactly("id", "features", "prediction");
    float[] raw = blockwise(net, 1024);
    List<Row> rows = sorted(m.transform(data));
    for (int i = 0; i < N; i++) {
      double[] r = new double[5];
      for (int j = 0; j < 5; j++) {
        r[j] = raw[i * 5 + j];
      }
      assertThat((double) rows.get(i).getAs("prediction")).isEqualTo(m.raw2prediction(new DenseVector(r)));
    }
    m.setPredictionBlockSize(1);
    assertThat(sorted(m.transform(data))).isEqualTo(sorted(m.transformPerRow(data)));

    Model reg = network(new MeanSquaredError(), 1);
    NeuralNetRegressionModel r = new NeuralNetRegressionModel("r", reg, null);
    float[] y = blockwise(reg, 1024);
    List<Row> out = sorted(r.transform(data));
    for (int i = 0; i < N; i++) {
      assertThat((double) out.get(i).getAs("prediction")).isEqualTo((double) y[i]);
    }
  }

  @Test
  void theBlockSizeIsSavedAndAWrongFeatureSizeIsNamed() throws Exception {
    NeuralNetClassificationModel m = new NeuralNetClassificationModel("c", network(new SoftmaxCrossEntropy(), 5), null);
    m.setPredictionBlockSize(300);
    String path = dir.resolve("m").toString();
    m.save(path);
    assertThat(NeuralNetClassificationModel.load(path).getPredictionBlockSize()).isEqualTo(300);
    assertThatThrownBy(() -> m.setPredictionBlockSize(0)).isInstanceOf(IllegalArgumentException.class);

    StructType schema = new StructType().add("features", SQLDataTypes.VectorType());
    Dataset<Row> bad = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2, 3))), schema);
    assertThatThrownBy(() -> m.transform(bad).collectAsList()).rootCause()
        .hasMessageContaining("the features vector has 3 values but the network takes 20");
  }
}
