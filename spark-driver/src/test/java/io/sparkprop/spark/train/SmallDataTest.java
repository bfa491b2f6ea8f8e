package io.sparkprop.spark.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.data.DataException;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.LSTM;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkOptions;
import io.sparkprop.spark.SparkTestSupport;
import io.sparkprop.spark.SparkTrainer;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The small-data path ({@link SmallData}) trains the same floats as the normal path: every
 * parameter and every epoch's metrics equal, with the path on and off, in both sync modes, with
 * and without validation data and sample weights, for one partition, for input partitions spread
 * onto others and for partitions kept; data over the bound takes the normal path. Which path ran
 * is read from the names of the cached RDDs Spark's stages used.
 */
class SmallDataTest {
  private static final int[] SIZES = {37, 0, 64, 19};
  private static final StructType WEIGHTED = SparkTestSupport.SCHEMA.add("w", DataTypes.DoubleType);
  @LocalSpark(master = "local[4]") // barrier stages of up to 4 tasks
  static SparkSession spark;
  private static final List<String> RDDS = new ArrayList<>();
  private static final java.util.concurrent.atomic.AtomicInteger JOBS = new java.util.concurrent.atomic.AtomicInteger();

  @BeforeAll
  static void start() {
    // the steps on the executors, whose cached workers show which path ran (DriverStepsTest: in the driver)
    spark.conf().set(SparkTraining.SMALL_DATA_DRIVER_STEPS, "false");
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onStageSubmitted(SparkListenerStageSubmitted s) {
        synchronized (RDDS) {
          s.stageInfo().rddInfos().foreach(r -> RDDS.add(r.name()));
        }
      }

      @Override
      public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart j) {
        JOBS.incrementAndGet();
      }
    });
  }


  @AfterEach
  void defaultBound() {
    spark.conf().unset(SparkTraining.SMALL_DATA_MAX_BYTES);
    spark.conf().unset(LEAF_PARALLELISM);
  }

  private static final String LEAF_PARALLELISM = "spark.sql.leafNodeDefaultParallelism";

  /** {@code d}'s rows from {@code createDataFrame} of a list: a local relation, rows the driver holds. */
  private static Dataset<Row> local(DataSet d) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < d.size(); i++) {
      rows.add(SparkTestSupport.row(d, i));
    }
    return spark.createDataFrame(rows, SparkTestSupport.SCHEMA);
  }

  /** The small MLP both small-data test classes fit. */
  static Sequential mlp() {
    return Sequential.of(Shape.of(2), new Dense(16), new ReLU(), new Dropout(0.2), new Dense(3));
  }

  /** Three epochs of Adam at batch 16, seed 11. */
  static TrainingConfig config() {
    return TrainingConfig.DEFAULTS.withOptimizer(new Adam(0.01)).withEpochs(3).withBatchSize(16).withSeed(11);
  }

  /** {@code d} (with weight column {@code w} when {@code weights}) in partitions of {@code sizes}, cached. */
  private static Dataset<Row> frame(DataSet d, boolean weights, int... sizes) {
    Dataset<Row> df;
    if (weights) {
      List<Row> rows = SparkTestSupport.rows(spark, d, sizes)
          .map(r -> RowFactory.create(r.get(0), r.get(1), (r.getDouble(1) + 1) * 0.5)).collect();
      List<List<Row>> groups = new ArrayList<>();
      int at = 0;
      for (int s : sizes) {
        groups.add(new ArrayList<>(rows.subList(at, at + s)));
        at += s;
      }
      df = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(groups, sizes.length).flatMap(List::iterator), WEIGHTED);
    } else {
      df = SparkTestSupport.frame(spark, d, sizes);
    }
    df = df.cache(); // a cached table's plan knows its size
    df.count();
    return df;
  }

  /** One fit with the small-data bound {@code bound}; returns {params, history, whether the small path ran}. */
  private static Object[] fit(SparkOptions options, Dataset<Row> train, Dataset<Row> val, String bound) {
    spark.conf().set(SparkTraining.SMALL_DATA_MAX_BYTES, bound);
    synchronized (RDDS) {
      RDDS.clear();
    }
    Model m = Model.init(mlp(), new SoftmaxCrossEntropy(), 5);
    History h = new SparkTrainer(config(), options).fit(m, train, val);
    boolean small;
    synchronized (RDDS) {
      small = RDDS.contains("training data workers (small data, from a broadcast)");
      assertThat(small).isNotEqualTo(RDDS.contains("training data workers (samples in mapped local files)"));
    }
    return new Object[] {m.params(), h, small};
  }

  /** What an epoch computed: every field but the times, in objects that compare NaN equal to NaN. */
  static List<Object> epochs(History h) {
    List<Object> out = new ArrayList<>();
    for (EpochLog e : h.epochs()) {
      out.add(List.of(e.epoch(), e.loss(), e.accuracy(), e.valLoss(), e.valAccuracy(), e.learningRate(), e.samples(),
          e.valMetrics()));
    }
    return out;
  }

  /** Fits with the path on (default bound) and off; asserts the small path ran and the results are equal. */
  private static void assertSameFloats(SparkOptions options, Dataset<Row> train, Dataset<Row> val) {
    Object[] normal = fit(options, train, val, "0");
    Object[] small = fit(options, train, val, "8m");
    assertThat((boolean) normal[2]).as("normal path with the bound 0").isFalse();
    assertThat((boolean) small[2]).as("small-data path").isTrue();
    assertThat((float[]) small[0]).containsExactly((float[]) normal[0]);
    assertThat(epochs((History) small[1])).isEqualTo(epochs((History) normal[1]));
    assertThat(((History) small[1]).epochs()).hasSize(3);
  }

  @Test
  void jobsModeSpreadOntoThreePartitionsWithValidationAndWeights() {
    assertSameFloats(SparkOptions.DEFAULTS.withPartitions(3).withSync(SparkOptions.Sync.JOBS).withWeightCol("w"),
        frame(SparkTestSupport.blobs(120, 1), true, SIZES), frame(SparkTestSupport.blobs(50, 2), false, 20, 30));
  }

  @Test
  void barrierModeSpreadOntoThreePartitionsWithValidation() {
    assertSameFloats(SparkOptions.DEFAULTS.withPartitions(3).withSync(SparkOptions.Sync.BARRIER),
        frame(SparkTestSupport.blobs(120, 3), false, SIZES), frame(SparkTestSupport.blobs(50, 4), false, 50));
  }

  @Test
  void barrierModeWithPartitionsKeptAndWeightsWithoutValidation() {
    assertSameFloats(SparkOptions.DEFAULTS.withPartitions(4).withSync(SparkOptions.Sync.BARRIER).withWeightCol("w"),
        frame(SparkTestSupport.blobs(120, 5), true, SIZES), null);
  }

  @Test
  void onePartitionInBothModes() {
    Dataset<Row> train = frame(SparkTestSupport.blobs(90, 6), false, 40, 50);
    Dataset<Row> val = frame(SparkTestSupport.blobs(30, 7), false, 30);
    assertSameFloats(SparkOptions.DEFAULTS.withPartitions(1).withSync(SparkOptions.Sync.JOBS), train, val);
    assertSameFloats(SparkOptions.DEFAULTS.withPartitions(1).withSync(SparkOptions.Sync.BARRIER), train, null);
  }

  @Test
  void localRelationsAreConvertedInTheDriverAndTrainTheSameFloatsInBothModes() {
    Dataset<Row> train = local(SparkTestSupport.blobs(90, 12));
    assertThat(train.queryExecution().executedPlan()).isInstanceOf(
        org.apache.spark.sql.execution.LocalTableScanExec.class);
    Dataset<Row> val = local(SparkTestSupport.blobs(30, 13));
    assertSameFloats(SparkOptions.DEFAULTS.withPartitions(3).withSync(SparkOptions.Sync.JOBS), train, val);
    assertSameFloats(SparkOptions.DEFAULTS.withPartitions(4).withSync(SparkOptions.Sync.BARRIER), train, null);
  }

  @Test
  void aLocalRelationGivesTheBlocksOfTheJobWithNoJob() {
    for (String leaf : new String[] {null, "3"}) {
      if (leaf != null) {
        spark.conf().set(LEAF_PARALLELISM, leaf);
      }
      for (int n : new int[] {2, 10, 121}) { // fewer rows than slices; uneven slices
        DataSet data = SparkTestSupport.blobs(n, 14);
        Dataset<Row> held = local(data);
        String what = n + " rows, leaf parallelism " + leaf;
        assertThat(SmallData.heldSlices(n, spark)).as(what)
            .isEqualTo(held.queryExecution().toRdd().getNumPartitions());
        int jobs = jobsStarted();
        Blocks a = SparkTraining.blocks(held, "features", "label", null, mlp(), new SoftmaxCrossEntropy(), 3, 5, "t");
        assertThat(jobsStarted()).as("jobs converting " + what).isEqualTo(jobs);
        Dataset<Row> cached = local(data).cache(); // the same slices, read by the conversion job
        cached.count();
        jobs = jobsStarted();
        Blocks b = SparkTraining.blocks(cached, "features", "label", null, mlp(), new SoftmaxCrossEntropy(), 3, 5,
            "t");
        assertThat(jobsStarted()).as("the cached table is read by a job").isEqualTo(jobs + 1);
        try {
          assertThat(a.small()).isTrue();
          assertThat(b.small()).isTrue();
          assertThat(a.partitionSizes()).as(what).containsExactly(b.partitionSizes());
          List<float[]> x = a.workers().map(SmallDataTest::samplesOf).collect();
          List<float[]> y = b.workers().map(SmallDataTest::samplesOf).collect();
          for (int p = 0; p < 3; p++) {
            assertThat(x.get(p)).as(what + ", partition " + p).containsExactly(y.get(p));
          }
        } finally {
          a.release();
          b.release();
          cached.unpersist(true);
        }
      }
    }
  }

  /** Jobs started so far, once the listener bus has delivered every event posted before this call. */
  private static int jobsStarted() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(); // what Spark's own tests wait on
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
    return JOBS.get();
  }

  @Test
  void tokenSequencesTakeThePathAndGiveTheSameBlocks() {
    DataSet d = SparkTestSupport.tokens(60, 7, 9, 21);
    Dataset<Row> df = frame(d, false, 25, 35);
    Sequential seq = Sequential.of(Shape.of(7), new Embedding(9, 4), new LSTM(5), new Dense(2));
    Blocks small = SparkTraining.blocks(df, "features", "label", null, seq, new SoftmaxCrossEntropy(), 3, 5, "t");
    spark.conf().set(SparkTraining.SMALL_DATA_MAX_BYTES, "0");
    Blocks normal = SparkTraining.blocks(df, "features", "label", null, seq, new SoftmaxCrossEntropy(), 3, 5, "t");
    try {
      assertThat(small.small()).isTrue();
      assertThat(normal.small()).isFalse();
      assertThat(small.partitionSizes()).containsExactly(normal.partitionSizes()).containsExactly(20, 20, 20);
      List<float[]> a = small.workers().map(SmallDataTest::samplesOf).collect();
      List<float[]> b = normal.workers().map(SmallDataTest::samplesOf).collect();
      for (int p = 0; p < 3; p++) {
        assertThat(a.get(p)).as("partition %d", p).containsExactly(b.get(p));
      }
    } finally {
      small.release();
      normal.release();
    }
  }

  /** Every sample in the worker's order: its features (or token ids and length), then its label. */
  private static float[] samplesOf(io.sparkprop.core.train.PartitionWorker w) {
    boolean tokens = w.data().isTokens();
    int n = w.data().size();
    int f = w.data().featureSize();
    int width = f + (tokens ? 2 : 1);
    float[] out = new float[n * width];
    float[] x = tokens ? null : new float[f];
    int[] ids = tokens ? new int[f] : null;
    int[] len = tokens ? new int[1] : null;
    float[] y = new float[1];
    for (int r = 0; r < n; r++) {
      w.data().copySample(r, 0, x, ids, len, y, null);
      for (int j = 0; j < f; j++) {
        out[r * width + j] = tokens ? ids[j] : x[j];
      }
      if (tokens) {
        out[r * width + f] = len[0];
      }
      out[r * width + width - 1] = y[0];
    }
    return out;
  }

  @Test
  void dataOverTheBoundTakesTheNormalPath() {
    Dataset<Row> df = frame(SparkTestSupport.blobs(120, 8), false, SIZES); // 120 samples of 3 floats: 1,440 bytes
    SparkOptions o = SparkOptions.DEFAULTS.withPartitions(2).withSync(SparkOptions.Sync.BARRIER);
    assertThat((boolean) fit(o, df, null, "1k")[2]).isFalse();
    assertThat((boolean) fit(o, df, null, "8m")[2]).isTrue();
  }

  @Test
  void anEstimateUnderTheBoundWithMoreSamplesFallsBackAfterConverting() {
    // A local table's estimate counts a vector as 17 bytes; 40 features are 160 bytes of floats a sample.
    DataSet d = wide(100, 40);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < d.size(); i++) {
      rows.add(SparkTestSupport.row(d, i));
    }
    Dataset<Row> df = spark.createDataFrame(rows, SparkTestSupport.SCHEMA);
    long estimate = df.queryExecution().optimizedPlan().stats().sizeInBytes().longValue();
    assertThat(estimate).isLessThan(8_000); // 100 x 164 bytes = 16,400 of samples
    spark.conf().set(SparkTraining.SMALL_DATA_MAX_BYTES, "8000");
    Sequential wideMlp = Sequential.of(Shape.of(40), new Dense(3));
    Blocks b = SparkTraining.blocks(df, "features", "label", null, wideMlp, new SoftmaxCrossEntropy(), 2, 5, "t");
    try {
      assertThat(b.small()).isFalse();
      assertThat(b.size()).isEqualTo(100);
    } finally {
      b.release();
    }
    spark.conf().set(SparkTraining.SMALL_DATA_MAX_BYTES, "16400");
    Blocks s = SparkTraining.blocks(df, "features", "label", null, wideMlp, new SoftmaxCrossEntropy(), 2, 5, "t");
    try {
      assertThat(s.small()).as("exactly at the bound").isTrue();
    } finally {
      s.release();
    }
  }

  private static DataSet wide(int n, int f) {
    float[] x = new float[n * f];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      for (int j = 0; j < f; j++) {
        x[i * f + j] = (i * 31 + j * 7) % 11 - 5;
      }
    }
    return new DataSet(Shape.of(f), 1, n, x, y);
  }

  @Test
  void aWorkerLostFromTheCacheIsRebuiltFromTheBroadcast() {
    Dataset<Row> df = frame(SparkTestSupport.blobs(120, 9), false, SIZES);
    Blocks b = SparkTraining.blocks(df, "features", "label", null, mlp(), new SoftmaxCrossEntropy(), 3, 5, "t");
    try {
      assertThat(b.small()).isTrue();
      float[] params = Model.init(mlp(), new SoftmaxCrossEntropy(), 3).params();
      io.sparkprop.core.loss.LossSums before = new SparkEvaluator(JavaSparkContext.fromSparkContext(
          spark.sparkContext()), b).evaluate(params);
      b.workers().unpersist(true); // as if an executor holding them was lost
      io.sparkprop.core.loss.LossSums after = new SparkEvaluator(JavaSparkContext.fromSparkContext(
          spark.sparkContext()), b).evaluate(params);
      assertThat(after).isEqualTo(before);
      assertThat(after.count()).isEqualTo(120);
    } finally {
      b.release();
    }
  }

  @Test
  void badValuesAndEmptyDataGiveTheNormalPathsMessages() {
    DataSet d = SparkTestSupport.blobs(30, 10);
    d.features()[2 * 17 + 1] = Float.NaN; // input partition 1, row 2
    Dataset<Row> bad = frame(d, false, 15, 15);
    Dataset<Row> empty = frame(SparkTestSupport.blobs(0, 1), false, 0, 0);
    assertBadAndEmptyRefused(bad, empty);
    // a local relation of 30 rows in local[4]: slices of 7, 8, 7, 8 rows; row 9 is partition 1, row 2
    DataSet l = SparkTestSupport.blobs(30, 10);
    l.features()[9 * 2 + 1] = Float.NaN;
    assertBadAndEmptyRefused(local(l), local(SparkTestSupport.blobs(0, 1)));
  }

  private static void assertBadAndEmptyRefused(Dataset<Row> bad, Dataset<Row> empty) {
    for (String bound : new String[] {"0", "8m"}) {
      spark.conf().set(SparkTraining.SMALL_DATA_MAX_BYTES, bound);
      assertThatThrownBy(() -> SparkTraining.blocks(bad, "features", "label", null, mlp(), new SoftmaxCrossEntropy(),
          2, 5, "training data")).as(bound).isInstanceOf(DataException.class)
          .hasMessageStartingWith("training data, partition 1, row 2: feature 1 is NaN");
      assertThatThrownBy(() -> SparkTraining.blocks(empty, "features", "label", null, mlp(), new SoftmaxCrossEntropy(),
          3, 5, "training data")).as(bound).isInstanceOf(DataException.class)
          .hasMessage("training data: the data set is empty (no rows in any of its 3 partitions)");
    }
  }

  @Test
  void aBoundThatIsNoSizeIsRefusedByName() {
    spark.conf().set(SparkTraining.SMALL_DATA_MAX_BYTES, "lots");
    Dataset<Row> df = frame(SparkTestSupport.blobs(10, 11), false, 10);
    assertThatThrownBy(() -> SparkTraining.blocks(df, "features", "label", null, mlp(), new SoftmaxCrossEntropy(), 1,
        5, "training data")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spark.sparkprop.smallData.maxBytes").hasMessageContaining("'lots'");
  }
}
