package io.sparkprop.spark.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.LSTM;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.GradientSource;
import io.sparkprop.core.train.PartitionWorker;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkOptions;
import io.sparkprop.spark.SparkTestSupport;
import io.sparkprop.spark.SparkTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Embedding gradients sent as (row ids, rows) give exactly the dense gradient, in jobs mode and
 * through both barrier channels: per step against the dense partition sums computed in this JVM,
 * and over whole training runs against the dense transport. The data make partitions touch
 * different rows: rows used by one partition only, rows shared, id 0 inside a sequence, rows
 * never used.
 */
class SparseGradientTest {
  static final int VOCAB = 400;
  static final int STEPS = 6;
  static final int[] SIZES = {30, 45, 25};
  @LocalSpark(master = "local[6]") static SparkSession spark;
  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }


  @AfterEach
  void defaults() {
    jsc.sc().setLocalProperty(BarrierGradientSource.CHANNEL, null);
    jsc.sc().setLocalProperty(StepResult.SPARSE, null);
  }

  static Sequential model() {
    return Sequential.of(Shape.of(STEPS), new Embedding(VOCAB, 4), new LSTM(5), new Dense(2));
  }

  /**
   * Partition 0 draws ids from [1, 60), partition 1 from [40, 150) with some ids 0 inside its
   * sequences, partition 2 from [140, 200); ids 200 and up never occur.
   */
  static DataSet data() {
    int n = Arrays.stream(SIZES).sum();
    int[] ids = new int[n * STEPS];
    float[] y = new float[n];
    Rng rng = new Rng(11);
    int[][] ranges = {{1, 60}, {40, 150}, {140, 200}};
    int i = 0;
    for (int p = 0; p < SIZES.length; p++) {
      for (int k = 0; k < SIZES[p]; k++, i++) {
        int len = 2 + rng.nextInt(STEPS - 1);
        for (int t = 0; t < len; t++) {
          int id = ranges[p][0] + rng.nextInt(ranges[p][1] - ranges[p][0]);
          ids[i * STEPS + t] = p == 1 && t == 0 && k % 3 == 0 ? 0 : id;
        }
        ids[i * STEPS + len - 1] = Math.max(1, ids[i * STEPS + len - 1]); // the length stays len
        y[i] = rng.nextInt(2);
      }
    }
    return DataSet.ofTokens(STEPS, 1, n, ids, y, null);
  }

  static TrainingConfig config() {
    return TrainingConfig.DEFAULTS.withOptimizer(new Adam(0.01)).withEpochs(2).withBatchSize(16).withSeed(5);
  }

  static Blocks blocks(DataSet d, int[] sizes) {
    return SparkTraining.blocks(SparkTestSupport.rows(spark, d, sizes), SparkTestSupport.TOKEN_SCHEMA, "features",
        "label", model(), new SoftmaxCrossEntropy(), sizes.length, 5, "test data");
  }

  /** The gradients of every step of epoch 0 at {@code params}, from {@code source} (closed afterwards). */
  static List<float[]> steps(GradientSource source, float[] params, int steps) {
    List<float[]> out = new ArrayList<>();
    try (source) {
      for (int s = 0; s < steps; s++) {
        float[] g = new float[params.length];
        Arrays.fill(g, Float.NaN); // must be overwritten everywhere
        source.gradient(params, 0, s, steps, g);
        out.add(g);
      }
    }
    return out;
  }

  /**
   * The reference: each partition's dense gradient computed in this JVM and summed as the driver
   * sums dense results, in partition order or in the fixed tree of {@code depth}.
   */
  static List<float[]> reference(DataSet d, int[] sizes, int depth, float[] params, int steps) {
    DataSet[] parts = SparkTestSupport.split(d, sizes);
    List<PartitionWorker> workers = new ArrayList<>();
    for (int p = 0; p < parts.length; p++) {
      workers.add(new PartitionWorker(model(), new SoftmaxCrossEntropy(), parts[p], p, 5));
    }
    List<float[]> out = new ArrayList<>();
    for (int s = 0; s < steps; s++) {
      List<StepResult> results = new ArrayList<>();
      for (PartitionWorker w : workers) {
        StepResult r = new StepResult();
        r.grad = new float[params.length];
        r.count = w.accumulate(params, 0, s, steps, r.grad).count();
        results.add(r.count == 0 ? new StepResult() : r);
      }
      out.add(OrderedTree.sumAsTree(results, depth).grad());
    }
    return out;
  }

  @Test
  void sparseRowsGiveTheDenseStepGradientsInEveryMode() {
    check(SIZES, 0);
  }

  /** Six partitions summed through one shuffle level: the executors and the driver add sparse results. */
  @Test
  void sparseRowsGiveTheDenseStepGradientsThroughTheTree() {
    check(new int[] {15, 15, 20, 25, 10, 15}, 2);
  }

  private static void check(int[] sizes, int depth) {
    DataSet d = data();
    float[] params = Model.init(model(), new SoftmaxCrossEntropy(), 3).params();
    int steps = PartitionWorker.stepsPerEpoch(d.size(), 16);
    List<float[]> expected = reference(d, sizes, Math.max(1, depth), params, steps);
    assertExercisesTheRows(expected);
    Blocks b = blocks(d, sizes);
    try {
      for (String sparse : new String[] {"true", "false"}) {
        jsc.sc().setLocalProperty(StepResult.SPARSE, sparse);
        jsc.sc().setLocalProperty(BarrierGradientSource.CHANNEL, null);
        assertSame("jobs, sparse " + sparse, steps(new SparkGradientSource(jsc, b, depth), params, steps), expected);
        assertSame("barrier in-JVM, sparse " + sparse, steps(barrier(b, depth), params, steps), expected);
        jsc.sc().setLocalProperty(BarrierGradientSource.CHANNEL, "tcp");
        assertSame("barrier TCP, sparse " + sparse, steps(barrier(b, depth), params, steps), expected);
      }
    } finally {
      b.release();
    }
  }

  static BarrierGradientSource barrier(Blocks b, int depth) {
    BarrierGradientSource s = new BarrierGradientSource(jsc, b, depth, SparkOptions.Sync.BARRIER, 30);
    return s;
  }

  static void assertSame(String what, List<float[]> actual, List<float[]> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int s = 0; s < actual.size(); s++) {
      assertThat(actual.get(s)).as("%s, step %d", what, s).containsExactly(expected.get(s));
    }
  }

  /** The steps touch rows of partition 1 only, id 0, and leave rows 200 and up at exactly +0.0. */
  static void assertExercisesTheRows(List<float[]> grads) {
    int dim = 4;
    boolean row0 = false;
    boolean onlyPartition1 = false;
    for (float[] g : grads) {
      for (int j = 0; j < dim; j++) {
        row0 |= g[j] != 0;
      }
      for (int i = 60 * dim; i < 140 * dim; i++) {
        onlyPartition1 |= g[i] != 0;
      }
      for (int i = 200 * dim; i < VOCAB * dim; i++) {
        assertThat(Float.floatToRawIntBits(g[i])).isZero();
      }
    }
    assertThat(row0).as("id 0 inside a sequence gets a gradient").isTrue();
    assertThat(onlyPartition1).as("rows 60-139 (partition 1 only) get gradients").isTrue();
  }

  @Test
  void trainingWithSparseRowsIsBitIdenticalToTheDenseTransportInBothSyncModes() {
    DataSet d = data();
    Model init = Model.init(model(), new SoftmaxCrossEntropy(), 4);
    float[] first = null;
    for (SparkOptions.Sync sync : new SparkOptions.Sync[] {SparkOptions.Sync.JOBS, SparkOptions.Sync.BARRIER}) {
      for (String sparse : new String[] {"false", "true"}) {
        jsc.sc().setLocalProperty(StepResult.SPARSE, sparse);
        Model m = init.copy();
        new SparkTrainer(config(), SparkOptions.DEFAULTS.withPartitions(SIZES.length).withSync(sync))
            .fit(m, SparkTestSupport.frame(spark, d, SIZES), null);
        if (first == null) {
          first = m.params();
          assertThat(first).isNotEqualTo(init.params());
        } else {
          assertThat(m.params()).as("%s, sparse %s", sync, sparse).containsExactly(first);
        }
      }
    }
  }

  @Test
  void aTaskRecordsExactlyTheRowsOfItsSlice() {
    DataSet d = data().slice(0, 30);
    PartitionWorker w = new PartitionWorker(model(), new SoftmaxCrossEntropy(), d, 0, 5);
    float[] params = Model.init(model(), new SoftmaxCrossEntropy(), 3).params();
    StepResult r = new StepResult();
    for (int s = 0; s < 2; s++) {
      assertThat(StepTask.compute(w, params, 0, s, 2, r)).isTrue();
      float[] dense = new float[params.length];
      new PartitionWorker(model(), new SoftmaxCrossEntropy(), d, 0, 5).accumulate(params, 0, s, 2, dense);
      assertThat(r.grad).containsExactly(dense);
      int marked = 0;
      for (int id = 0; id < VOCAB; id++) {
        boolean nonZero = false;
        for (int j = 0; j < 4; j++) {
          nonZero |= dense[id * 4 + j] != 0;
        }
        if (r.rows.marked(0, id)) {
          marked++;
        } else {
          assertThat(nonZero).as("row %d has a gradient but is not marked", id).isFalse();
        }
      }
      assertThat(marked).isEqualTo(r.rows.count(0)).isBetween(10, 59);
    }
  }
}
