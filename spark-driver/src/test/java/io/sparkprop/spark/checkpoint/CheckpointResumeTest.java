package io.sparkprop.spark.checkpoint;

import static io.sparkprop.spark.SparkTestSupport.blobs;
import static io.sparkprop.spark.SparkTestSupport.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.optim.CosineDecay;
import io.sparkprop.core.optim.SGD;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingDivergedException;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.core.train.TrainingState;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkOptions;
import io.sparkprop.spark.SparkTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints, resume and the divergence stop, with the trainer on a local file system path. */
class CheckpointResumeTest {
  @LocalSpark
  private static SparkSession spark;
  private static Dataset<Row> train;
  private static Dataset<Row> val;
  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    train = frame(spark, blobs(240, 1), 70, 90, 80).cache();
    val = frame(spark, blobs(90, 2), 45, 45).cache();
  }

  static Sequential mlp() {
    return Sequential.of(Shape.of(2), new Dense(12), new ReLU(), new Dropout(0.25), new Dense(3));
  }

  static TrainingConfig config() {
    return TrainingConfig.DEFAULTS.withOptimizer(new Adam(0.02)).withSchedule(new CosineDecay(3, 24, 0.1))
        .withEpochs(4).withBatchSize(40).withSeed(5);
  }

  static Model fresh() {
    return Model.init(mlp(), new SoftmaxCrossEntropy(), 3);
  }

  static SparkTrainer trainer(String checkpoint, int every) {
    return new SparkTrainer(config(), SparkOptions.DEFAULTS.withPartitions(3).withCheckpoints(checkpoint, every));
  }

  /** Issue 16: a checkpoint that cannot be written stops the run cleanly, with one line, after that epoch. */
  @Test
  void aFailingCheckpointWriteStopsTrainingWithOneLine() throws IOException {
    Path folder = dir.resolve("ck");
    String path = folder.resolve("checkpoint").toString();
    SparkTrainer t = trainer(path, 1).addListener(new TrainingListener() {
      @Override
      public void onEpochEnd(EpochLog log, TrainingState state, Model model) {
        if (log.epoch() == 1) { // the checkpoint of epoch 1 is written; then its folder's name is taken by a file
          try {
            Files.move(folder, dir.resolve("ck-epoch1"));
            Files.writeString(folder, "not a folder");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    });
    assertThatThrownBy(() -> t.fit(fresh(), train, val))
        .isInstanceOf(CheckpointListener.CheckpointWriteException.class)
        .hasMessageStartingWith("cannot write file:" + path + ": ")
        .hasMessageEndingWith("; training stopped after epoch 2")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(HadoopCheckpoints.read(new Configuration(), dir.resolve("ck-epoch1/checkpoint").toString())
        .state().completedEpochs()).isEqualTo(1);
    assertThat(trainer(dir.resolve("other/checkpoint").toString(), 4).fit(fresh(), train, val).epochs())
        .as("the session is still usable").hasSize(4);
  }

  @Test
  void resumeEndsBitIdenticalToAnUninterruptedRun() {
    Model whole = fresh();
    String full = dir.resolve("full/checkpoint").toString();
    History hw = trainer(full, 3).fit(whole, train, val);

    Model crashed = fresh();
    String part = dir.resolve("part/checkpoint").toString();
    SparkTrainer crashing = trainer(part, 1).addListener(new TrainingListener() {
      @Override
      public void onEpochEnd(EpochLog log, TrainingState state, Model model) {
        if (log.epoch() == 2) {
          throw new IllegalStateException("simulated crash after epoch 2");
        }
      }
    });
    assertThatThrownBy(() -> crashing.fit(crashed, train, val)).hasMessageContaining("simulated crash");

    Model resumed = Model.init(mlp(), new SoftmaxCrossEntropy(), 99); // parameters come from the checkpoint
    History hr = trainer(part, 1).resume(part, resumed, train, val);
    assertThat(resumed.params()).containsExactly(whole.params());
    assertThat(hr.epochs()).hasSize(4);
    assertThat(hr.series("loss")).containsExactly(hw.series("loss"));
    assertThat(hr.series("val_accuracy")).containsExactly(hw.series("val_accuracy"));
    assertThat(hr.series("val_f1_macro")).containsExactly(hw.series("val_f1_macro")); // kept in the checkpoint

    // Written at the end (epoch 4 is no multiple of 3): the final state.
    Checkpoint last = HadoopCheckpoints.read(new Configuration(), full);
    assertThat(last.state().completedEpochs()).isEqualTo(4);
    assertThat(last.params()).containsExactly(whole.params());
    assertThat(last.state().history().series("loss")).containsExactly(hw.series("loss"));
    assertThat(last.state().optimizer().step()).isEqualTo(last.state().globalStep()).isEqualTo(4 * 6);
  }

  @Test
  void divergenceNamesEpochAndStepAndKeepsTheLastGoodCheckpoint() throws IOException {
    String path = dir.resolve("checkpoint").toString();
    byte[][] good = new byte[1][];
    SparkTrainer t = trainer(path, 1).addListener(new TrainingListener() {
      @Override
      public void onEpochEnd(EpochLog log, TrainingState state, Model model) {
        if (log.epoch() == 2) {
          try {
            good[0] = Files.readAllBytes(Path.of(path));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          model.params()[0] = Float.POSITIVE_INFINITY; // the next forward pass yields NaN
        }
      }
    });
    assertThatThrownBy(() -> t.fit(fresh(), train, null))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("epoch 3, step 1");
    assertThat(Files.readAllBytes(Path.of(path))).isEqualTo(good[0]);
    Checkpoint c = HadoopCheckpoints.read(new Configuration(), path);
    assertThat(c.state().completedEpochs()).isEqualTo(2);
    for (float v : c.params()) {
      assertThat(Float.isFinite(v)).isTrue();
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void aCheckpointOfAnotherRunIsRefused() {
    String path = dir.resolve("c").toString();
    new SparkTrainer(config().withEpochs(1), SparkOptions.DEFAULTS.withCheckpoints(path, 1)).fit(fresh(), train, null);
    SparkTrainer otherSeed = new SparkTrainer(config().withSeed(6), SparkOptions.DEFAULTS);
    assertThatThrownBy(() -> otherSeed.resume(path, fresh(), train, null))
        .hasMessageContaining("seed 5 but the config's seed is 6");
    Model wider = Model.init(Sequential.of(Shape.of(2), new Dense(13), new ReLU(), new Dense(3)),
        new SoftmaxCrossEntropy(), 1);
    assertThatThrownBy(() -> trainer(path, 1).resume(path, wider, train, null))
        .hasMessageContaining("another architecture");
    SparkTrainer sgd = new SparkTrainer(config().withOptimizer(new SGD(0.1)), SparkOptions.DEFAULTS);
    assertThatThrownBy(() -> sgd.resume(path, fresh(), train, null)).hasMessageContaining("optimizer slots");
    assertThatThrownBy(() -> trainer(path, 1).resume(path + "-missing", fresh(), train, null))
        .hasMessageContaining("does not exist");
  }
}
