package io.sparkprop.spark;

import static io.sparkprop.spark.SparkTestSupport.frame;
import static io.sparkprop.spark.SparkTestSupport.split;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.BatchNormalization;
import io.sparkprop.core.layer.Conv2D;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.Flatten;
import io.sparkprop.core.layer.MaxPool2D;
import io.sparkprop.core.layer.Padding;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.GradientSource;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** CNN layers, batch-norm state included, train through the Spark trainer unchanged. */
@Tag("slow")
class SparkCnnTrainingTest {
  @LocalSpark
  private static SparkSession spark;

  /** 1x6x6 images of a bright horizontal bar in row 1, 3 or 5 (the class), plus noise. */
  static DataSet bars(int n, long seed) {
    Rng rng = new Rng(seed);
    float[] x = new float[n * 36];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(3);
      for (int j = 0; j < 36; j++) {
        x[i * 36 + j] = (float) (0.3 * rng.nextGaussian()) + (j / 6 == 2 * c + 1 ? 1f : 0f);
      }
      y[i] = c;
    }
    return new DataSet(Shape.of(1, 6, 6), 1, n, x, y);
  }

  /**
   * No conv bias before batch norm: its true gradient is 0, so Adam would turn float noise into
   * steps of size lr, and two summation orders would drift apart on it.
   */
  static Sequential cnn(boolean dropout) {
    return Sequential.of(Shape.of(1, 6, 6),
        new Conv2D(4, 3).withPadding(Padding.SAME).withBias(false), new BatchNormalization(), new ReLU(), new MaxPool2D(2),
        new Flatten(), dropout ? new Dropout(0.2) : new ReLU(), new Dense(3));
  }

  static TrainingConfig config() {
    return TrainingConfig.DEFAULTS.withOptimizer(new Adam(0.01)).withEpochs(2).withBatchSize(32).withSeed(5);
  }

  @Test
  void onePartitionIsBitIdenticalToTheSingleJvmTrainer() {
    DataSet train = bars(200, 1);
    DataSet val = bars(60, 2);
    Model local = Model.init(cnn(true), new SoftmaxCrossEntropy(), 3);
    Model distributed = local.copy();
    History hl = new Trainer(config()).fit(local, train, val);
    History hd = new SparkTrainer(config(), SparkOptions.DEFAULTS.withPartitions(1))
        .fit(distributed, frame(spark, train, 200), frame(spark, val, 60));
    assertThat(distributed.params()).containsExactly(local.params());
    assertThat(hd.series("val_loss")).containsExactly(hl.series("val_loss"));
    assertThat(hl.last().valAccuracy()).isGreaterThan(0.9);
    ParamLayout layout = local.architecture().layout();
    assertThat(local.params()[layout.offset(1, "running_var")]).isNotEqualTo(1f); // the state moved
  }

  @Test
  void batchNormStateFromUnequalPartitionsIsTheirSampleWeightedMean() {
    // Reference: the same partitions' workers summed in one JVM (the convention tested in trainer-core).
    DataSet train = bars(150, 3);
    int[] sizes = {30, 0, 120};
    Model reference = Model.init(cnn(false), new SoftmaxCrossEntropy(), 4);
    Model distributed = reference.copy();
    try (GradientSource local = new SparkTrainerEquivalenceTest.Workers(reference, split(train, sizes),
        config().seed())) {
      new Trainer(config()).fit(reference, local, null, null);
    }
    new SparkTrainer(config(), SparkOptions.DEFAULTS.withPartitions(3)).fit(distributed, frame(spark, train, sizes),
        null);
    SparkTrainerEquivalenceTest.assertClose(distributed.params(), reference.params(), 1e-5f);
    assertThat(distributed.params()).isNotEqualTo(Model.init(cnn(false), new SoftmaxCrossEntropy(), 4).params());
  }
}
