package io.sparkprop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.LSTM;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The accuracy floor on the bundled spam set (4,829 train / 1,217 test e-mails): Embedding(64) +
 * LSTM(64) + Dense(2) through SparkTrainer in local[2] with two partitions, Adam 1e-3, batch 64,
 * the first 256 word tokens, reaches at least 95.0% test accuracy (PyTorch: 94.7% after 5 epochs).
 */
class SpamLstmTest {
  static final int EPOCHS = 5;
  private static SparkSession spark;
  private static SpamData.Split data;

  @BeforeAll
  static void start() throws Exception {
    spark = SparkTestSupport.session("spam");
    data = SpamData.load();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Sequential lstm(int vocabulary) {
    return Sequential.of(Shape.of(SpamData.MAX_TOKENS), new Embedding(vocabulary, 64), new LSTM(64), new Dense(2));
  }

  @Test
  void embeddingLstmReaches95PercentOnTheTestSet() {
    assertThat(data.train().size()).isEqualTo(4829);
    assertThat(data.test().size()).isEqualTo(1217);
    Model model = Model.init(lstm(data.vocabulary()), new SoftmaxCrossEntropy(), 42);
    TrainingConfig cfg = TrainingConfig.DEFAULTS.withOptimizer(new Adam(1e-3)).withEpochs(EPOCHS).withBatchSize(64)
        .withSeed(42);
    History h = new SparkTrainer(cfg, SparkOptions.DEFAULTS.withPartitions(2)).fit(model,
        SparkTestSupport.frame(spark, data.train(), SparkTestSupport.even(data.train().size(), 2)),
        SparkTestSupport.frame(spark, data.test(), SparkTestSupport.even(data.test().size(), 2)));
    double accuracy = model.evaluate(data.test()).accuracy();
    assertThat(h.last().valAccuracy()).isEqualTo(accuracy, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(accuracy).as("spam test accuracy after %d epochs", EPOCHS).isGreaterThanOrEqualTo(0.95);
  }
}
