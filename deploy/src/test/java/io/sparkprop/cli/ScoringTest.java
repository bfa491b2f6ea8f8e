package io.sparkprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkTestSupport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scoring streams: a partition of several batches gives the same predictions and sums as
 * scoring each batch of {@value Scoring#BATCH} rows on the driver, and reads its input only one
 * batch ahead of what has been consumed.
 */
class ScoringTest {
  private static final int N = 2 * Scoring.BATCH + 276;
  @LocalSpark
  static SparkSession spark;
  static Model model;
  static List<Row> rows;
  static DataSet all;

  @BeforeAll
  static void start() {
    model = Model.init(Sequential.of(Shape.of(4), new Dense(8), new ReLU(), new Dense(3)), new SoftmaxCrossEntropy(),
        5);
    Rng rng = new Rng(3);
    float[] x = new float[N * 4];
    float[] y = new float[N];
    rows = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      double[] v = new double[4];
      for (int j = 0; j < 4; j++) {
        v[j] = (float) rng.nextGaussian();
        x[i * 4 + j] = (float) v[j];
      }
      y[i] = i % 3;
      rows.add(RowFactory.create(Vectors.dense(v), (double) (i % 3)));
    }
    all = new DataSet(Shape.of(4), 1, N, x, y);
  }

  /** Rows [from, to) of the data as a data set, as one batch of the old buffered loop saw them. */
  private static DataSet slice(int from, int to) {
    return new DataSet(Shape.of(4), 1, to - from, Arrays.copyOfRange(all.features(), from * 4, to * 4),
        Arrays.copyOfRange(all.labels(), from, to));
  }

  @Test
  void predictionsOfAMultiBatchPartitionEqualBatchByBatchScoring() {
    Dataset<Row> df = spark.createDataFrame(rows, SparkTestSupport.SCHEMA).coalesce(1);
    List<Row> got = Scoring.predict(model, Preprocessing.NONE, df, true, "test data").collectAsList();
    assertThat(got).hasSize(N);
    for (int from = 0; from < N; from += Scoring.BATCH) {
      int to = Math.min(N, from + Scoring.BATCH);
      DataSet b = slice(from, to);
      float[] p = model.predict(b);
      int[] c = model.predictClasses(b);
      for (int i = from; i < to; i++) {
        Row r = got.get(i);
        assertThat(r.getDouble(0)).as("row %d", i).isEqualTo(c[i - from]);
        assertThat(r.getDouble(1)).isEqualTo(i % 3);
        for (int j = 0; j < 3; j++) {
          assertThat(r.getDouble(2 + j)).as("row %d p_%d", i, j).isEqualTo((double) p[(i - from) * 3 + j]);
        }
      }
    }
  }

  @Test
  void evaluationOfAMultiBatchPartitionEqualsTheBatchSums() {
    Dataset<Row> df = spark.createDataFrame(rows, SparkTestSupport.SCHEMA).coalesce(1);
    Evaluation.Result r = Scoring.evaluate(model, df, "test data");
    LossSums expected = LossSums.ZERO;
    for (int from = 0; from < N; from += Scoring.BATCH) {
      expected = expected.plus(model.evaluate(slice(from, Math.min(N, from + Scoring.BATCH))));
    }
    assertThat(r.sums()).isEqualTo(expected);
    assertThat(r.confusion().total()).isEqualTo(N);
  }

  @Test
  void predictReadsItsInputOneBatchAtATime() throws Exception {
    Broadcast<float[]> params = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model.params());
    int[] read = {0};
    Iterator<Row> counting = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return read[0] < N;
      }

      @Override
      public Row next() {
        return rows.get(read[0]++);
      }
    };
    Iterator<Row> out = new Scoring.Predict(model.architecture(), model.loss(), params, Preprocessing.NONE, true,
        "test data").call(counting);
    assertThat(read[0]).as("nothing is read before the first row is asked for").isZero();
    out.next();
    assertThat(read[0]).isEqualTo(Scoring.BATCH);
    for (int i = 1; i < Scoring.BATCH; i++) {
      out.next();
    }
    assertThat(read[0]).as("the second batch waits for its first row").isEqualTo(Scoring.BATCH);
    out.next();
    assertThat(read[0]).isEqualTo(2 * Scoring.BATCH);
    params.destroy();
  }
}
