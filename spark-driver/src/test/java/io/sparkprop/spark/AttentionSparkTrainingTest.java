package io.sparkprop.spark;

import static io.sparkprop.spark.SparkTestSupport.frame;
import static io.sparkprop.spark.SparkTestSupport.split;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.GlobalAveragePooling1D;
import io.sparkprop.core.layer.PositionalEmbedding;
import io.sparkprop.core.layer.TransformerEncoder;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.GradientSource;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.Trainer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A Transformer text classifier (padded token sequences, dropout active) through the Spark
 * trainer: bit-identical to the single-JVM trainer on one partition, and equal to the in-JVM sum
 * of the same partitions on unequal ones.
 */
class AttentionSparkTrainingTest {
  @LocalSpark
  private static SparkSession spark;

  static Sequential transformer() {
    return Sequential.of(Shape.of(7), new Embedding(9, 8), new PositionalEmbedding(7),
        new TransformerEncoder(2, 16, 0.1, "gelu", false, 1e-5), new TransformerEncoder(2, 16, 0.1, "relu", true, 1e-5),
        new GlobalAveragePooling1D(), new Dense(2));
  }

  @Test
  void onePartitionIsBitIdenticalToTheSingleJvmTrainer() {
    DataSet train = SparkTestSupport.tokens(120, 7, 9, 31);
    DataSet val = SparkTestSupport.tokens(40, 7, 9, 32);
    Model local = Model.init(transformer(), new SoftmaxCrossEntropy(), 5);
    Model distributed = local.copy();
    History hl = new Trainer(SparkTrainerEquivalenceTest.config()).fit(local, train, val);
    History hd = new SparkTrainer(SparkTrainerEquivalenceTest.config(), SparkOptions.DEFAULTS.withPartitions(1))
        .fit(distributed, frame(spark, train, 120), frame(spark, val, 40));
    assertThat(distributed.params()).containsExactly(local.params());
    assertThat(hd.series("loss")).containsExactly(hl.series("loss"));
    assertThat(hd.series("val_loss")).containsExactly(hl.series("val_loss"));
  }

  @Test
  void unequalPartitionsMatchThePartitionSumInOneJvm() {
    DataSet train = SparkTestSupport.tokens(120, 7, 9, 33);
    int[] sizes = {15, 60, 45};
    Model reference = Model.init(transformer(), new SoftmaxCrossEntropy(), 6);
    Model distributed = reference.copy();
    try (GradientSource local = new SparkTrainerEquivalenceTest.Workers(reference, split(train, sizes),
        SparkTrainerEquivalenceTest.config().seed())) {
      new Trainer(SparkTrainerEquivalenceTest.config()).fit(reference, local, null, null);
    }
    History h = new SparkTrainer(SparkTrainerEquivalenceTest.config(), SparkOptions.DEFAULTS.withPartitions(3))
        .fit(distributed, frame(spark, train, sizes), null);
    assertThat(h.last().samples()).isEqualTo(120);
    // The key bias has an exactly zero gradient (it adds q·b to every score of a row, which the
    // softmax ignores): what reaches it is rounding noise, which depends on the summation order and
    // which Adam turns into full steps of either sign. It changes no output; compare the rest.
    float[] d = distributed.params().clone();
    float[] r = reference.params().clone();
    ParamLayout layout = transformer().layout();
    for (int layer : new int[] {2, 3}) {
      int k = layout.offset(layer, "key_bias");
      for (int i = k; i < k + 8; i++) {
        d[i] = r[i];
      }
    }
    SparkTrainerEquivalenceTest.assertClose(d, r, 1e-5f);
    assertThat(distributed.params()).isNotEqualTo(Model.init(transformer(), new SoftmaxCrossEntropy(), 6).params());
  }
}
