package io.sparkprop.spark;

import static io.sparkprop.spark.SparkTestSupport.blobs;
import static io.sparkprop.spark.SparkTestSupport.frame;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.EarlyStopping;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.core.train.TrainingState;
import io.sparkprop.spark.train.SparkTraining;
import java.util.ArrayList;
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
 * Barrier mode runs the whole fit in one barrier stage, validation and early stopping included,
 * with the floats of jobs mode; a Spark job of the application between epochs gets the task
 * slots. Two partitions in local[2]: the stage holds every slot, so a second stage or a job
 * during training would show in the job log.
 */
class BarrierRunTest {
  @LocalSpark static SparkSession spark;
  private static final List<String> JOBS = new ArrayList<>();
  private static final SparkListener RECORDER = new SparkListener() {
    @Override
    public void onJobStart(SparkListenerJobStart start) {
      String d = start.properties() == null ? null : start.properties().getProperty("spark.job.description");
      synchronized (JOBS) {
        JOBS.add(d == null ? "job " + start.jobId() : d);
      }
    }
  };

  @BeforeAll
  static void start() {
    spark.sparkContext().addSparkListener(RECORDER);
  }


  @AfterEach
  void defaultChannel() {
    spark.sparkContext().setLocalProperty(SparkTraining.BARRIER_CHANNEL, null);
  }

  static Sequential mlp() {
    return Sequential.of(Shape.of(2), new Dense(16), new ReLU(), new Dropout(0.2), new Dense(3));
  }

  /** Stops after epoch 3: nothing beats epoch 1's val_accuracy by 10, and patience is 2. */
  static TrainingConfig config() {
    return TrainingConfig.DEFAULTS.withOptimizer(new Adam(0.01)).withEpochs(20).withBatchSize(32).withSeed(23)
        .withEarlyStopping(new EarlyStopping("val_accuracy", 2, 10, true));
  }

  /** Job descriptions recorded between the start and the end of training. */
  static final class Window implements TrainingListener {
    int from;
    List<String> jobs;

    @Override
    public void onTrainBegin(Model model, TrainingConfig config, int steps, TrainingState state) {
      from = drained().size();
    }

    @Override
    public void onTrainEnd(History history, Model model) {
      List<String> all = drained();
      jobs = new ArrayList<>(all.subList(from, all.size()));
    }
  }

  /** Every job event posted so far, once the listener bus has delivered them. */
  static List<String> drained() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(TimeUnit.SECONDS.toMillis(30));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("Spark's listener bus did not drain within 30 s", e);
    }
    synchronized (JOBS) {
      return new ArrayList<>(JOBS);
    }
  }

  record Run(Model model, History history, List<String> jobs) {
  }

  static Run fit(SparkOptions.Sync sync, TrainingListener... extra) {
    DataSet train = blobs(300, 31);
    DataSet val = blobs(90, 32);
    Model m = Model.init(mlp(), new SoftmaxCrossEntropy(), 33);
    Window w = new Window();
    SparkTrainer t = new SparkTrainer(config(), SparkOptions.DEFAULTS.withPartitions(2).withSync(sync)
        .withBarrierTimeout(60)).addListener(w);
    for (TrainingListener l : extra) {
      t.addListener(l);
    }
    Dataset<Row> tr = frame(spark, train, 140, 160);
    Dataset<Row> va = frame(spark, val, 50, 40);
    History h = t.fit(m, tr, va);
    return new Run(m, h, w.jobs);
  }

  static void assertSameRun(Run actual, Run expected) {
    assertThat(actual.model().params()).containsExactly(expected.model().params());
    assertThat(actual.history().epochs()).hasSameSizeAs(expected.history().epochs());
    for (int i = 0; i < expected.history().epochs().size(); i++) {
      EpochLog a = actual.history().epochs().get(i);
      EpochLog e = expected.history().epochs().get(i);
      assertThat(a.loss()).isEqualTo(e.loss());
      assertThat(a.valLoss()).isEqualTo(e.valLoss());
      assertThat(a.valAccuracy()).isEqualTo(e.valAccuracy());
      assertThat(a.valMetrics()).isEqualTo(e.valMetrics());
    }
  }

  @Test
  void aRunWithValidationAndEarlyStoppingIsOneStageWithTheFloatsOfJobsMode() {
    Run jobs = fit(SparkOptions.Sync.JOBS);
    assertThat(jobs.history().epochs()).hasSize(3); // early stopping ended the run
    assertThat(jobs.history().last().valMetrics()).containsKey("f1_macro");
    assertThat(jobs.jobs().size()).isGreaterThan(3 * 10); // a job per step and per evaluation

    Run inJvm = fit(SparkOptions.Sync.BARRIER);
    assertSameRun(inJvm, jobs);
    assertThat(inJvm.jobs()).containsExactly("sparkprop barrier stage 1");

    spark.sparkContext().setLocalProperty(SparkTraining.BARRIER_CHANNEL, "tcp");
    Run tcp = fit(SparkOptions.Sync.BARRIER);
    assertSameRun(tcp, jobs);
    assertThat(tcp.jobs()).containsExactly("sparkprop barrier stage 1");
  }

  @Test
  void aJobOfAListenerGetsTheSlotsAndTheRunIsUnchanged() {
    TrainingListener counter = new TrainingListener() {
      @Override
      public void onEpochEnd(EpochLog log, TrainingState state, Model model) {
        spark.sparkContext().setJobDescription("listener");
        try {
          assertThat(spark.range(0, 100, 1, 2).count()).isEqualTo(100);
        } finally {
          spark.sparkContext().setJobDescription(null);
        }
      }
    };
    Run jobs = fit(SparkOptions.Sync.JOBS, counter);
    Run barrier = fit(SparkOptions.Sync.BARRIER, counter);
    assertSameRun(barrier, jobs);
    // Every epoch ends with the listener's job, which releases the stage, and the next step starts
    // a new one. A stage that held its slots would fail after the barrier timeout instead, and its
    // step would run as a job: no such job is in the log.
    assertThat(barrier.jobs().stream().filter(j -> !j.equals("listener")))
        .containsExactly("sparkprop barrier stage 1", "sparkprop barrier stage 2", "sparkprop barrier stage 3");
    assertThat(barrier.jobs()).contains("listener");
  }
}
