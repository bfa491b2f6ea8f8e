package io.sparkprop.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.spark.LocalSpark;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sync} param of the estimators: default, persistence, validation, and both modes through fit. */
class SyncParamTest {
  @TempDir
  static Path dir;
  @LocalSpark
  private static SparkSession spark;
  private static Dataset<Row> train;

  @BeforeAll
  static void start() {
    train = IrisLike.vectors(spark, 240, 1).cache();
  }

  private static NeuralNetClassifier small() {
    return new NeuralNetClassifier().setLayers(new int[] {4, 8, 3}).setMaxIter(2).setBlockSize(60).setSeed(3)
        .setNumPartitions(2);
  }

  @Test
  void syncDefaultsToAutoAndRoundTripsThroughSaveAndLoad() throws Exception {
    assertThat(new NeuralNetClassifier().getSync()).isEqualTo("auto");
    assertThat(new NeuralNetRegressor().getSync()).isEqualTo("auto");

    NeuralNetClassifier c = small().setSync("barrier");
    String cp = dir.resolve("classifier").toUri().toString();
    c.save(cp);
    NeuralNetClassifier cBack = NeuralNetClassifier.load(cp);
    assertThat(cBack.isSet(cBack.sync())).isTrue();
    assertThat(cBack.getSync()).isEqualTo("barrier");

    NeuralNetRegressor r = new NeuralNetRegressor().setLayers(new int[] {4, 1}).setSync("jobs");
    String rp = dir.resolve("regressor").toUri().toString();
    r.save(rp);
    assertThat(NeuralNetRegressor.load(rp).getSync()).isEqualTo("jobs");
  }

  @Test
  void anInvalidSyncFailsInOneLineNamingTheAllowedValues() {
    assertThatThrownBy(() -> small().setSync("Barrier")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(": sync must be one of auto, jobs, barrier, got 'Barrier'")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> new NeuralNetRegressor().setSync("tree"))
        .hasMessageEndingWith(": sync must be one of auto, jobs, barrier, got 'tree'");
  }

  @Test
  void jobsAndBarrierModesFitTheSameWeightsAndTheModelCarriesTheMode() {
    NeuralNetClassificationModel jobs = small().setSync("jobs").fit(train);
    NeuralNetClassificationModel barrier = small().setSync("barrier").fit(train);
    assertThat(jobs.getSync()).isEqualTo("jobs");
    assertThat(barrier.getSync()).isEqualTo("barrier");
    // the two modes sum the same gradients in the same order: bit-identical, not merely close
    assertThat(barrier.weights().toArray()).containsExactly(jobs.weights().toArray());
  }
}
