package io.sparkprop.spark.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.LSTM;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.core.train.TrainingState;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkOptions;
import io.sparkprop.spark.SparkTestSupport;
import io.sparkprop.spark.SparkTrainer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Small data in local mode trained in the driver thread ({@link DriverGradientSource}) gives the
 * floats of jobs and barrier mode: every parameter and every epoch's metrics equal with the path
 * on and off, with and without validation data, for 1, 3 and 8 partitions (the last summed by
 * the fixed tree), for a token model with sparse embedding rows. That the path ran is read from
 * the Spark jobs started between the start and the end of training: none on it, some off it.
 */
class DriverStepsTest {
  private static final int[] SIZES = {37, 0, 64, 19};
  @LocalSpark(master = "local[4]") static SparkSession spark;
  private static int jobs;

  @BeforeAll
  static void start() {
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart s) {
        synchronized (DriverStepsTest.class) {
          jobs++;
        }
      }
    });
  }


  @AfterEach
  void defaults() {
    spark.conf().unset(SparkTraining.SMALL_DATA_DRIVER_STEPS);
  }

  /** {@code d} in partitions of {@code sizes}, cached (a cached table's plan knows its size: small data). */
  private static Dataset<Row> frame(DataSet d, int... sizes) {
    Dataset<Row> df = SparkTestSupport.frame(spark, d, sizes).cache();
    df.count();
    return df;
  }

  /** Jobs started so far, once the listener bus has delivered their events. */
  private static int jobsSoFar() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(TimeUnit.SECONDS.toMillis(30));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("Spark's listener bus did not drain within 30 s", e);
    }
    synchronized (DriverStepsTest.class) {
      return jobs;
    }
  }

  /** Counts the Spark jobs started while the trainer trains. */
  private static final class Window implements TrainingListener {
    int from = -1;
    int count = -1;

    @Override
    public void onTrainBegin(Model model, TrainingConfig config, int steps, TrainingState state) {
      from = jobsSoFar();
    }

    @Override
    public void onTrainEnd(History history, Model model) {
      count = jobsSoFar() - from;
    }
  }

  record Fit(float[] params, List<Object> epochs, int jobs) {
  }

  /** One fit of {@code arch} with the driver path {@code driverSteps}. */
  private static Fit fit(Sequential arch, SparkOptions options, Dataset<Row> train, Dataset<Row> val,
                         boolean driverSteps) {
    spark.conf().set(SparkTraining.SMALL_DATA_DRIVER_STEPS, String.valueOf(driverSteps));
    Model m = Model.init(arch, new SoftmaxCrossEntropy(), 5);
    Window w = new Window();
    History h = new SparkTrainer(SmallDataTest.config(), options).addListener(w).fit(m, train, val);
    assertThat(h.epochs()).hasSize(3);
    return new Fit(m.params(), SmallDataTest.epochs(h), w.count);
  }

  /** Fits with the driver path off and on; asserts which ran and that the floats are equal. */
  private static void assertSameFloats(Sequential arch, SparkOptions options, Dataset<Row> train, Dataset<Row> val) {
    Fit stages = fit(arch, options, train, val, false);
    Fit driver = fit(arch, options, train, val, true);
    assertThat(stages.jobs()).as("Spark jobs while training on the executors").isPositive();
    assertThat(driver.jobs()).as("Spark jobs while training in the driver thread").isZero();
    assertThat(driver.params()).containsExactly(stages.params());
    assertThat(driver.epochs()).isEqualTo(stages.epochs());
  }

  @Test
  void barrierModeSpreadOntoThreePartitionsWithValidation() {
    assertSameFloats(SmallDataTest.mlp(), SparkOptions.DEFAULTS.withPartitions(3).withSync(SparkOptions.Sync.BARRIER),
        frame(SparkTestSupport.blobs(120, 3), SIZES), frame(SparkTestSupport.blobs(50, 4), 20, 30));
  }

  @Test
  void jobsModeThreePartitionsWithoutValidation() {
    assertSameFloats(SmallDataTest.mlp(), SparkOptions.DEFAULTS.withPartitions(3).withSync(SparkOptions.Sync.JOBS),
        frame(SparkTestSupport.blobs(120, 5), SIZES), null);
  }

  @Test
  void onePartitionInBothModes() {
    Dataset<Row> train = frame(SparkTestSupport.blobs(90, 6), 40, 50);
    Dataset<Row> val = frame(SparkTestSupport.blobs(30, 7), 30);
    assertSameFloats(SmallDataTest.mlp(), SparkOptions.DEFAULTS.withPartitions(1).withSync(SparkOptions.Sync.JOBS), train, val);
    assertSameFloats(SmallDataTest.mlp(), SparkOptions.DEFAULTS.withPartitions(1).withSync(SparkOptions.Sync.BARRIER), train, null);
  }

  @Test
  void eightPartitionsSummedByTheTreeOfDepthThree() {
    assertSameFloats(SmallDataTest.mlp(), SparkOptions.DEFAULTS.withPartitions(8).withSync(SparkOptions.Sync.JOBS)
        .withAggregationDepth(3), frame(SparkTestSupport.blobs(120, 8), SIZES), null);
  }

  @Test
  void tokenModelWithSparseEmbeddingRowsInBarrierMode() {
    Sequential seq = Sequential.of(Shape.of(7), new Embedding(9, 4), new LSTM(5), new Dense(2));
    assertSameFloats(seq, SparkOptions.DEFAULTS.withPartitions(3).withSync(SparkOptions.Sync.BARRIER),
        frame(SparkTestSupport.tokens(60, 7, 9, 21), 25, 35), frame(SparkTestSupport.tokens(20, 7, 9, 22), 20));
  }

  @Test
  void moreWorkThanTheBoundKeepsTheStage() {
    // 300 samples x 98,307 parameters: more than DriverGradientSource.MAX_WORK
    Sequential wide = Sequential.of(Shape.of(2), new Dense(16384), new ReLU(), new Dense(3));
    assertThat(wide.paramCount()).isEqualTo(98307);
    assertThat(DriverGradientSource.fits(300, wide.paramCount())).isFalse();
    Fit f = fit(wide, SparkOptions.DEFAULTS.withPartitions(2).withSync(SparkOptions.Sync.BARRIER),
        frame(SparkTestSupport.blobs(300, 9), 150, 150), null, true);
    assertThat(f.jobs()).as("Spark jobs while training").isPositive();
  }

  @Test
  void aSettingThatIsNoBooleanIsRefusedByName() {
    spark.conf().set(SparkTraining.SMALL_DATA_DRIVER_STEPS, "maybe");
    Model m = Model.init(SmallDataTest.mlp(), new SoftmaxCrossEntropy(), 5);
    Dataset<Row> df = frame(SparkTestSupport.blobs(10, 10), 10);
    assertThatThrownBy(() -> new SparkTrainer(SmallDataTest.config(), SparkOptions.DEFAULTS.withPartitions(1)).fit(m, df, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(SparkTraining.SMALL_DATA_DRIVER_STEPS)
        .hasMessageContaining("maybe");
  }
}
