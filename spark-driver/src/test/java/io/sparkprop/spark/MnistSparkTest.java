package io.sparkprop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.io.IdxReader;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bundled MNIST sample (8,000 train / 2,000 test digits) in local[2] with two partitions:
 * 784-128-10, Adam 1e-3, batch 128 reaches 94% test accuracy within 20 epochs (the single-JVM
 * trainer's floor for the same settings; PyTorch gets 94.45%).
 */
@Tag("slow")
class MnistSparkTest {
  @LocalSpark
  private static SparkSession spark;
  private static IdxReader.Mnist mnist;

  @BeforeAll
  static void start() throws Exception {
    mnist = IdxReader.mnist(IdxReader.findUp(Path.of("").toAbsolutePath(), IdxReader.MNIST_SAMPLE), false);
  }

  @Test
  void oneHiddenLayerReaches94PercentIn20Epochs() {
    Model model = Model.init(Sequential.of(Shape.of(784), new Dense(128), new ReLU(), new Dense(10)),
        new SoftmaxCrossEntropy(), 42);
    TrainingConfig cfg = TrainingConfig.DEFAULTS.withOptimizer(new Adam(1e-3)).withEpochs(20).withBatchSize(128)
        .withSeed(42);
    History h = new SparkTrainer(cfg, SparkOptions.DEFAULTS.withPartitions(2)).fit(model,
        SparkTestSupport.frame(spark, mnist.train(), SparkTestSupport.even(8000, 2)),
        SparkTestSupport.frame(spark, mnist.test(), SparkTestSupport.even(2000, 2)));
    assertThat(h.last().valAccuracy()).isGreaterThanOrEqualTo(0.94);
    assertThat(model.evaluate(mnist.test()).accuracy()).isEqualTo(h.last().valAccuracy());
    assertThat(h.last().samples()).isEqualTo(8000);
  }
}
