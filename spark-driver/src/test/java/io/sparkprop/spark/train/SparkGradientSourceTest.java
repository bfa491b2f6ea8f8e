package io.sparkprop.spark.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.Flatten;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.PartitionWorker;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkTestSupport;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which samples a step uses, read off the gradient: sample {@code i} has the one-hot features
 * {@code e_i} and target 1, the model is {@code y = x·w} with {@code w = 0}, so the MSE gradient
 * of the step is {@code −2} at {@code w[i]} for each sample {@code i} in the step and 0 elsewhere
 * (exact in float, whatever the order of the sums).
 */
class SparkGradientSourceTest {
  private static final int N = 41;
  @LocalSpark static SparkSession spark;
  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }


  static DataSet identities() {
    float[] x = new float[N * N];
    float[] y = new float[N];
    for (int i = 0; i < N; i++) {
      x[i * N + i] = 1;
      y[i] = 1;
    }
    return new DataSet(Shape.of(N), 1, N, x, y);
  }

  static Sequential linear() {
    return Sequential.of(Shape.of(N), new Dense(1, false, null, null, null));
  }

  static Blocks blocks(int partitions, int... sizes) {
    RowFormat f = RowFormat.of(SparkTestSupport.SCHEMA, "features", "label", N, 1, "test data");
    return BlockConverter.convert(SparkTestSupport.rows(spark, identities(), sizes), f, linear(), new MeanSquaredError(), partitions, 3,
        "test data");
  }

  /** For each epoch: how often each sample was in a step, checking step sizes on the way. */
  static int[][] usage(SparkGradientSource source, int batch, int epochs) {
    int steps = PartitionWorker.stepsPerEpoch(source.size(), batch);
    int[][] used = new int[epochs][N];
    float[] g = new float[N];
    float[] zero = new float[N];
    for (int e = 0; e < epochs; e++) {
      long total = 0;
      for (int s = 0; s < steps; s++) {
        Arrays.fill(g, 7f); // the source must overwrite, not add
        LossSums sums = source.gradient(zero, e, s, steps, g);
        int inStep = 0;
        for (int i = 0; i < N; i++) {
          assertThat(g[i]).isIn(0f, -2f);
          if (g[i] != 0) {
            used[e][i]++;
            inStep++;
          }
        }
        assertThat(sums.count()).isEqualTo(inStep);
        assertThat(sums.lossSum()).isEqualTo(inStep); // (0 − 1)² per sample
        total += sums.count();
      }
      assertThat(total).isEqualTo(N);
    }
    return used;
  }

  @Test
  void everySampleOnceAnEpochWithUnequalAndEmptyPartitions() {
    Blocks b = blocks(4, 0, 9, 1, 31);
    try {
      assertThat(b.partitionSizes()).containsExactly(0, 9, 1, 31);
      SparkGradientSource source = new SparkGradientSource(jsc, b, 0);
      int[][] used = usage(source, 8, 3);
      for (int[] epoch : used) {
        assertThat(epoch).containsOnly(1);
      }
      assertThat(source.timings().nanos(io.sparkprop.core.train.Timings.Phase.BROADCAST)).isPositive();
    } finally {
      b.release();
    }
  }

  @Test
  void stepsDifferBetweenEpochsAndRepeatInAReRun() {
    Blocks b = blocks(2, 20, 21);
    try {
      SparkGradientSource source = new SparkGradientSource(jsc, b, 0);
      int steps = PartitionWorker.stepsPerEpoch(N, 10);
      float[][] first = new float[2][N];
      float[][] again = new float[2][N];
      float[] zero = new float[N];
      for (int e = 0; e < 2; e++) {
        source.gradient(zero, e, 0, steps, first[e]);
        source.gradient(zero, e, 0, steps, again[e]);
      }
      assertThat(again[0]).containsExactly(first[0]);
      assertThat(first[1]).isNotEqualTo(first[0]); // reshuffled each epoch
    } finally {
      b.release();
    }
  }

  @Test
  void aTreeWithAShuffleLevelSumsTheSame() {
    int[] sizes = {5, 0, 7, 3, 6, 0, 11, 9};
    Blocks b = blocks(8, sizes);
    try {
      SparkGradientSource flat = new SparkGradientSource(jsc, b, 1);
      SparkGradientSource tree = new SparkGradientSource(jsc, b, 2);
      assertThat(tree.depth()).isEqualTo(2);
      int steps = PartitionWorker.stepsPerEpoch(N, 6);
      float[] zero = new float[N];
      float[] g1 = new float[N];
      float[] g2 = new float[N];
      for (int s = 0; s < steps; s++) {
        LossSums a = flat.gradient(zero, 1, s, steps, g1);
        LossSums c = tree.gradient(zero, 1, s, steps, g2);
        assertThat(g2).containsExactly(g1);
        assertThat(c).isEqualTo(a);
      }
      int[][] used = usage(tree, 6, 1);
      assertThat(used[0]).containsOnly(1);
    } finally {
      b.release();
    }
  }

  @Test
  void depthGrowsWithThePartitionCount() {
    assertThat(SparkGradientSource.autoDepth(1)).isEqualTo(1);
    assertThat(SparkGradientSource.autoDepth(16)).isEqualTo(1);
    assertThat(SparkGradientSource.autoDepth(17)).isEqualTo(2);
    assertThat(SparkGradientSource.autoDepth(1000)).isEqualTo(3);
  }

  @Test
  void stepResultsSurviveSerialisation() throws Exception {
    StepResult r = new StepResult();
    r.grad = new float[40000];
    for (int i = 0; i < r.grad.length; i++) {
      r.grad[i] = i * 0.37f - 5;
    }
    r.grad[3] = Float.NaN;
    r.grad[4] = Float.NEGATIVE_INFINITY;
    r.lossSum = 2.5;
    r.count = 9;
    r.correct = 4;
    r.weight = 11.5; // summed sample weights (issue 14)
    r.computeNanos = 77;
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(r);
      out.writeObject(new StepResult());
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      StepResult back = (StepResult) in.readObject();
      assertThat(back.grad()).containsExactly(r.grad);
      assertThat(back.sums()).isEqualTo(new LossSums(2.5, 9, 4, 11.5));
      assertThat(back.computeNanos()).isEqualTo(77);
      assertThat(((StepResult) in.readObject()).grad()).isNull();
    }
  }

  /** Ids travel as ints: 2^24 + 1 has no float, and survives conversion and the shuffle. */
  @Test
  void tokenIdsAboveTwoToThe24SurviveTheBlocks() {
    int big = (1 << 24) + 1;
    int[] ids = {big, 3, 0, 5, big + 1, big};
    DataSet d = DataSet.ofTokens(3, 1, 2, ids, new float[] {0, 1}, null);
    Sequential arch = Sequential.of(Shape.of(3), new Embedding(big + 2, 1), new Flatten(), new Dense(2));
    JavaRDD<Row> rows = SparkTestSupport.rows(spark, d, 1, 1);
    Blocks blocks = SparkTraining.blocks(rows, SparkTestSupport.TOKEN_SCHEMA, "features", "label", arch,
        new SoftmaxCrossEntropy(), 1, 1L, "tokens");
    try {
      List<int[]> got = blocks.workers().map(w -> {
        int[] all = new int[6];
        int[] lens = new int[2];
        for (int r = 0; r < 2; r++) {
          w.data().copySample(r, r, null, all, lens, new float[2], null);
        }
        int[] out = java.util.Arrays.copyOf(all, 8);
        out[6] = lens[0];
        out[7] = lens[1];
        return out;
      }).collect();
      assertThat(got.get(0)).containsExactly(big, 3, 0, 5, big + 1, big, 2, 3);
    } finally {
      blocks.release();
    }
  }
}
