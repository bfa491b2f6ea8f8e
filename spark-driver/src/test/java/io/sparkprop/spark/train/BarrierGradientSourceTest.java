package io.sparkprop.spark.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.GradientSource;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.PartitionWorker;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkOptions;
import io.sparkprop.spark.SparkTestSupport;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Barrier mode computes the floats jobs mode computes, through both channels, with the tree
 * order, when it has to fall back and when its stage is killed mid-epoch. Six task slots.
 */
class BarrierGradientSourceTest {
  @LocalSpark(master = "local[6]") static SparkSession spark;
  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }


  @AfterEach
  void defaultChannel() {
    jsc.sc().setLocalProperty(BarrierGradientSource.CHANNEL, null);
  }

  static Sequential mlp() {
    return Sequential.of(Shape.of(2), new Dense(16), new ReLU(), new Dropout(0.2), new Dense(3));
  }

  static TrainingConfig config() {
    return TrainingConfig.DEFAULTS.withOptimizer(new Adam(0.01)).withEpochs(3).withBatchSize(16).withSeed(5);
  }

  static Blocks blocks(DataSet d, int... sizes) {
    return blocks(spark, d, sizes);
  }

  /** {@code d} as cached blocks of partitions of {@code sizes} rows, converted in {@code session}. */
  static Blocks blocks(SparkSession session, DataSet d, int... sizes) {
    RowFormat f = RowFormat.of(SparkTestSupport.SCHEMA, "features", "label", 2, 3, "test data");
    return BlockConverter.convert(SparkTestSupport.rows(session, d, sizes), f, mlp(), new SoftmaxCrossEntropy(), sizes.length, 5, "test data");
  }

  /** Parameters after training with {@code source} (closed afterwards), from the same initial model. */
  static float[] train(GradientSource source, TrainingListener... listeners) {
    Model m = Model.init(mlp(), new SoftmaxCrossEntropy(), 3);
    Trainer t = new Trainer(config());
    for (TrainingListener l : listeners) {
      t.addListener(l);
    }
    try (source) {
      History h = t.fit(m, source, null, null);
      assertThat(h.epochs()).hasSize(3);
    }
    return m.params();
  }

  static BarrierGradientSource barrier(Blocks b, int depth) {
    return new BarrierGradientSource(jsc, b, depth, SparkOptions.Sync.BARRIER, 30);
  }

  static int steps(Blocks b) {
    return 3 * PartitionWorker.stepsPerEpoch(b.size(), 16);
  }

  @Test
  void inJvmChannelGivesTheFloatsOfJobsMode() {
    Blocks b = blocks(SparkTestSupport.blobs(200, 1), 40, 0, 70, 90);
    try {
      float[] jobs = train(new SparkGradientSource(jsc, b, 0));
      BarrierGradientSource s = barrier(b, 0);
      float[] barrier = train(s);
      assertThat(barrier).containsExactly(jobs);
      assertThat(s.barrierSteps()).isEqualTo(steps(b));
      assertThat(s.jobSteps()).isZero();
    } finally {
      b.release();
    }
  }

  @Test
  void tcpChannelGivesTheFloatsOfJobsMode() {
    Blocks b = blocks(SparkTestSupport.blobs(150, 2), 50, 60, 40);
    try {
      float[] jobs = train(new SparkGradientSource(jsc, b, 0));
      jsc.sc().setLocalProperty(BarrierGradientSource.CHANNEL, "tcp");
      BarrierGradientSource s = barrier(b, 0);
      float[] barrier = train(s);
      assertThat(barrier).containsExactly(jobs);
      assertThat(s.barrierSteps()).isEqualTo(steps(b));
    } finally {
      b.release();
    }
  }

  @Test
  void treeOrderOfDepthTwoIsReproducedOnTheDriver() {
    // 6 partitions at depth 2: one shuffle level (partials i mod 2 ... ) in jobs mode.
    Blocks b = blocks(SparkTestSupport.blobs(240, 3), 30, 50, 10, 60, 40, 50);
    try {
      float[] jobs = train(new SparkGradientSource(jsc, b, 2));
      float[] flat = train(new SparkGradientSource(jsc, b, 1));
      BarrierGradientSource s = barrier(b, 2);
      float[] barrier = train(s);
      assertThat(barrier).containsExactly(jobs);
      assertThat(s.barrierSteps()).isEqualTo(steps(b));
      // the order matters: the flat sum gives other floats, so the check above has teeth
      assertThat(flat).isNotEqualTo(jobs);
    } finally {
      b.release();
    }
  }

  @Test
  void morePartitionsThanSlotsRunAsJobs() {
    Blocks b = blocks(SparkTestSupport.blobs(160, 4), 20, 20, 20, 20, 20, 20, 20, 20);
    try {
      float[] jobs = train(new SparkGradientSource(jsc, b, 0));
      BarrierGradientSource s = barrier(b, 0);
      float[] fallback = train(s);
      assertThat(fallback).containsExactly(jobs);
      assertThat(s.barrierSteps()).isZero();
      assertThat(s.jobSteps()).isEqualTo(steps(b));
    } finally {
      b.release();
    }
  }

  @Test
  void aStageKilledMidEpochIsReplacedAndTheResultIsUnchanged() {
    Blocks b = blocks(SparkTestSupport.blobs(200, 5), 100, 100);
    try {
      float[] undisturbed = train(new SparkGradientSource(jsc, b, 0));
      BarrierGradientSource s = barrier(b, 0);
      TrainingListener killer = new TrainingListener() {
        @Override
        public void onStepEnd(int epoch, int step, int steps, LossSums sums) {
          if (epoch == 1 && step == 2) {
            // Cancel the running barrier stage and wait until Spark has ended its job.
            CountDownLatch ended = new CountDownLatch(1);
            SparkListener l = new SparkListener() {
              @Override
              public void onJobEnd(SparkListenerJobEnd end) {
                ended.countDown();
              }
            };
            jsc.sc().addSparkListener(l);
            jsc.sc().cancelAllJobs();
            try {
              assertThat(ended.await(60, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
              throw new AssertionError(e);
            } finally {
              jsc.sc().removeSparkListener(l);
            }
          }
        }
      };
      float[] disturbed = train(s, killer);
      assertThat(disturbed).containsExactly(undisturbed);
      assertThat(s.jobSteps()).isGreaterThanOrEqualTo(1);
      assertThat(s.barrierSteps() + s.jobSteps()).isEqualTo(steps(b));
      assertThat(s.barrierSteps()).isGreaterThan(steps(b) / 2);
    } finally {
      b.release();
    }
  }

  @Test
  void aSilentTaskIsDetectedWithinTheTimeout() {
    LocalHub.Channel c = new LocalHub.Channel(1_000_000_000L);
    assertThatThrownBy(() -> {
      c.send(new float[3], 0, 0, 1);
      c.receive(20_000_000L); // nobody answers
    }).isInstanceOf(IOException.class).hasMessageContaining("did not answer within 20 ms");
  }
}
