package io.sparkprop.spark;

import static io.sparkprop.spark.SparkTestSupport.blobs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparkprop.core.data.DataException;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Issue 14: a weight column through the Spark trainer weighs as in the single-JVM trainer. */
class SparkWeightsTest {
  private static final StructType WEIGHTED = SparkTestSupport.SCHEMA.add("w", DataTypes.DoubleType);
  @LocalSpark
  private static SparkSession spark;

  private static Sequential mlp() {
    return Sequential.of(Shape.of(2), new Dense(8), new ReLU(), new Dense(3));
  }

  private static TrainingConfig config(int batch) {
    return TrainingConfig.DEFAULTS.withOptimizer(new Adam(0.05)).withEpochs(4).withBatchSize(batch).withSeed(3);
  }

  /** {@code d} with weight column {@code w}, in {@code parts} partitions of near-equal size. */
  private static Dataset<Row> weighted(DataSet d, float[] w, int parts) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < d.size(); i++) {
      Row r = SparkTestSupport.row(d, i);
      rows.add(RowFactory.create(r.get(0), r.get(1), (double) w[i]));
    }
    return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, parts),
        WEIGHTED);
  }

  private static float[] weights(int n) {
    float[] w = new float[n];
    for (int r = 0; r < n; r++) {
      w[r] = r % 5 == 0 ? 2 : r % 7 == 0 ? 0 : 1;
    }
    return w;
  }

  /** The same float operations in the same order: one partition equals the single-JVM trainer bit for bit. */
  @Test
  void onePartitionWithWeightsIsBitIdenticalToTheSingleJvmTrainer() {
    DataSet d = blobs(200, 21);
    float[] w = weights(200);
    Model local = Model.init(mlp(), new SoftmaxCrossEntropy(), 4);
    Model distributed = local.copy();
    History hl = new Trainer(config(32)).fit(local, d.withWeights(w), null);
    History hd = new SparkTrainer(config(32), SparkOptions.DEFAULTS.withPartitions(1).withWeightCol("w"))
        .fit(distributed, weighted(d, w, 1), null);
    assertThat(distributed.params()).containsExactly(local.params());
    assertThat(hd.series("loss")).containsExactly(hl.series("loss"));
    // and the weights did change the training: unweighted gives other parameters
    Model plain = Model.init(mlp(), new SoftmaxCrossEntropy(), 4);
    new Trainer(config(32)).fit(plain, d, null);
    assertThat(plain.params()).isNotEqualTo(local.params());
  }

  /**
   * Weight 2 on a row trains as that row twice, through Spark on two partitions and in both sync
   * modes. One batch per epoch, so both runs sum the same samples in every step; only the order
   * of float additions differs (rows sit at other positions of the GEMMs and partitions), hence
   * the tolerance: 1e-6 on the epoch loss, 2e-5 on each parameter after 4 Adam steps of rate 0.05
   * (float32 round-off of sums of ~200 terms, amplified by Adam's division by √v).
   */
  @Test
  void weightTwoOnARowEqualsThatRowTwiceThroughSpark() {
    DataSet d = blobs(120, 22);
    float[] w = weights(120);
    int n = 0;
    for (float x : w) {
      n += (int) x;
    }
    float[] xs = new float[n * 2];
    float[] ys = new float[n];
    int k = 0;
    for (int r = 0; r < d.size(); r++) {
      for (int t = 0; t < (int) w[r]; t++, k++) {
        System.arraycopy(d.features(), 2 * r, xs, 2 * k, 2);
        ys[k] = d.labels()[r];
      }
    }
    DataSet repeated = new DataSet(Shape.of(2), 1, n, xs, ys);
    Model init = Model.init(mlp(), new SoftmaxCrossEntropy(), 6);
    Model twice = init.copy();
    History ht = new SparkTrainer(config(4096), SparkOptions.DEFAULTS.withPartitions(2))
        .fit(twice, SparkTestSupport.frame(spark, repeated, SparkTestSupport.even(n, 2)), null);
    float[] jobs = null;
    for (SparkOptions.Sync sync : new SparkOptions.Sync[] {SparkOptions.Sync.JOBS, SparkOptions.Sync.BARRIER}) {
      Model m = init.copy();
      History hw = new SparkTrainer(config(4096),
          SparkOptions.DEFAULTS.withPartitions(2).withWeightCol("w").withSync(sync)).fit(m, weighted(d, w, 2), null);
      for (int e = 0; e < 4; e++) {
        assertThat(hw.series("loss")[e]).as("%s, loss of epoch %d", sync, e + 1)
            .isCloseTo(ht.series("loss")[e], within(1e-6));
      }
      for (int i = 0; i < m.params().length; i++) {
        assertThat(m.params()[i]).as("%s, parameter %d", sync, i).isCloseTo(twice.params()[i], Offset.offset(2e-5f));
      }
      if (jobs == null) {
        jobs = m.params().clone();
      } else {
        assertThat(m.params()).as("barrier mode gives the floats of jobs mode").containsExactly(jobs);
      }
    }
    assertThat(twice.params()).isNotEqualTo(init.params());
  }

  @Test
  void aBadWeightIsRefusedNamingThePartitionRowAndColumn() {
    DataSet d = blobs(10, 23);
    float[] w = new float[10];
    Arrays.fill(w, 1);
    w[7] = -1;
    SparkTrainer t = new SparkTrainer(config(4), SparkOptions.DEFAULTS.withPartitions(2).withWeightCol("w"));
    assertThatThrownBy(() -> t.fit(Model.init(mlp(), new SoftmaxCrossEntropy(), 1), weighted(d, w, 2), null))
        .isInstanceOf(DataException.class)
        .hasMessage("training data, partition 1, row 2: column 'w' has -1.0; a sample weight must be finite and >= 0");
    SparkTrainer missing = new SparkTrainer(config(4), SparkOptions.DEFAULTS.withWeightCol("weight"));
    assertThatThrownBy(() -> missing.fit(Model.init(mlp(), new SoftmaxCrossEntropy(), 1), weighted(d, w, 2), null))
        .isInstanceOf(DataException.class)
        .hasMessage("training data: there is no column 'weight'; the columns are [features, label, w]");
  }
}
