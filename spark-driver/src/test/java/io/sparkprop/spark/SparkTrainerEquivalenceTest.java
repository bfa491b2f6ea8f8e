package io.sparkprop.spark;

import static io.sparkprop.spark.SparkTestSupport.blobs;
import static io.sparkprop.spark.SparkTestSupport.even;
import static io.sparkprop.spark.SparkTestSupport.frame;
import static io.sparkprop.spark.SparkTestSupport.split;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.LSTM;
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
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.feature.LabeledPoint;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The Spark trainer computes what the single-JVM trainer computes. */
class SparkTrainerEquivalenceTest {
  @LocalSpark
  private static SparkSession spark;

  static Sequential mlp() {
    return Sequential.of(Shape.of(2), new Dense(16), new ReLU(), new Dropout(0.2), new Dense(3));
  }

  static TrainingConfig config() {
    return TrainingConfig.DEFAULTS.withOptimizer(new Adam(0.01)).withEpochs(3).withBatchSize(32).withSeed(11);
  }

  @Test
  void onePartitionIsBitIdenticalToTheSingleJvmTrainer() {
    DataSet train = blobs(300, 1);
    DataSet val = blobs(100, 2);
    Model local = Model.init(mlp(), new SoftmaxCrossEntropy(), 5);
    Model distributed = local.copy();
    History hl = new Trainer(config()).fit(local, train, val);
    History hd = new SparkTrainer(config(), SparkOptions.DEFAULTS.withPartitions(1))
        .fit(distributed, frame(spark, train, 300), frame(spark, val, 100));
    assertThat(distributed.params()).containsExactly(local.params());
    assertThat(hd.series("loss")).containsExactly(hl.series("loss"));
    assertThat(hd.series("accuracy")).containsExactly(hl.series("accuracy"));
    assertThat(hd.series("val_loss")).containsExactly(hl.series("val_loss"));
    assertThat(hd.last().samples()).isEqualTo(300);
    assertThat(hd.last().valMetrics()).isEqualTo(hl.last().valMetrics()).containsKey("f1_macro");
  }

  /** Issue 14: metric sums per partition, merged on the driver, give the single-JVM values. */
  @Test
  void validationMetricsFromPartitionsMatchTheSingleJvmOnes() {
    DataSet train = blobs(300, 5);
    DataSet val = blobs(100, 6);
    Model model = Model.init(mlp(), new SoftmaxCrossEntropy(), 7);
    History h = new SparkTrainer(config(), SparkOptions.DEFAULTS.withPartitions(3))
        .fit(model, frame(spark, train, 100, 100, 100), frame(spark, val, 30, 0, 70));
    java.util.Map<String, Double> direct = model.metrics(val, io.sparkprop.core.metrics.MetricOptions.DEFAULTS)
        .values();
    assertThat(h.last().valMetrics().keySet()).containsExactlyElementsOf(direct.keySet());
    for (String k : direct.keySet()) {
      assertThat(h.last().valMetrics().get(k)).as(k).isCloseTo(direct.get(k), org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void bothSyncModesOnOnePartitionAreBitIdenticalToTheSingleJvmTrainer() {
    DataSet train = blobs(200, 13);
    DataSet val = blobs(60, 14);
    Model local = Model.init(mlp(), new SoftmaxCrossEntropy(), 15);
    float[] initial = local.params().clone();
    History hl = new Trainer(config()).fit(local, train, val);
    for (SparkOptions.Sync sync : new SparkOptions.Sync[] {SparkOptions.Sync.JOBS, SparkOptions.Sync.BARRIER}) {
      Model distributed = Model.init(mlp(), new SoftmaxCrossEntropy(), 15);
      History hd = new SparkTrainer(config(), SparkOptions.DEFAULTS.withPartitions(1).withSync(sync))
          .fit(distributed, frame(spark, train, 200), frame(spark, val, 60));
      assertThat(distributed.params()).as("sync %s", sync).containsExactly(local.params());
      assertThat(hd.series("val_loss")).as("sync %s", sync).containsExactly(hl.series("val_loss"));
    }
    assertThat(local.params()).isNotEqualTo(initial);
  }

  @Test
  void barrierModeOnTwoPartitionsWithValidationGivesTheFloatsOfJobsMode() {
    // Two slots, two partitions: every epoch is one barrier stage, then the validation job.
    DataSet train = blobs(300, 16);
    DataSet val = blobs(90, 17);
    Model a = Model.init(mlp(), new SoftmaxCrossEntropy(), 18);
    Model b = a.copy();
    History ha = new SparkTrainer(config(), SparkOptions.DEFAULTS.withPartitions(2).withSync(SparkOptions.Sync.JOBS))
        .fit(a, frame(spark, train, 130, 170), frame(spark, val, 40, 50));
    History hb = new SparkTrainer(config(), SparkOptions.DEFAULTS.withPartitions(2)
        .withSync(SparkOptions.Sync.BARRIER)).fit(b, frame(spark, train, 130, 170), frame(spark, val, 40, 50));
    assertThat(b.params()).containsExactly(a.params());
    assertThat(hb.series("loss")).containsExactly(ha.series("loss"));
    assertThat(hb.series("val_accuracy")).containsExactly(ha.series("val_accuracy"));
  }

  @Test
  void unequalPartitionsMatchTheSameBatchesSummedInOneJvm() {
    DataSet train = blobs(300, 3);
    int[] sizes = {50, 90, 0, 160};
    Model reference = Model.init(mlp(), new SoftmaxCrossEntropy(), 6);
    Model distributed = reference.copy();
    try (GradientSource local = new Workers(reference, split(train, sizes), config().seed())) {
      new Trainer(config()).fit(reference, local, null, null);
    }
    History h = new SparkTrainer(config(), SparkOptions.DEFAULTS.withPartitions(4))
        .fit(distributed, frame(spark, train, sizes), null);
    assertThat(h.last().samples()).isEqualTo(300);
    assertClose(distributed.params(), reference.params(), 1e-5f);
    assertThat(distributed.params()).isNotEqualTo(Model.init(mlp(), new SoftmaxCrossEntropy(), 6).params());
  }

  @Test
  void fourPartitionsWithFullBatchesMatchTheSingleJvmTrainer() {
    // One step per epoch covers every sample, so the global batch is the same however it is split.
    DataSet train = blobs(240, 4);
    TrainingConfig cfg = config().withBatchSize(240).withEpochs(5);
    Sequential noDropout = Sequential.of(Shape.of(2), new Dense(16), new ReLU(), new Dense(3));
    Model local = Model.init(noDropout, new SoftmaxCrossEntropy(), 7);
    Model distributed = local.copy();
    new Trainer(cfg).fit(local, train, null);
    new SparkTrainer(cfg, SparkOptions.DEFAULTS.withPartitions(4)).fit(distributed, frame(spark, train, even(240, 4)),
        null);
    assertClose(distributed.params(), local.params(), 1e-5f);
  }

  @Test
  void labeledPointsTrainLikeTheDataFrame() {
    DataSet train = blobs(200, 8);
    Model a = Model.init(mlp(), new SoftmaxCrossEntropy(), 9);
    Model b = a.copy();
    SparkTrainer t = new SparkTrainer(config().withEpochs(2), SparkOptions.DEFAULTS.withPartitions(2));
    t.fit(a, frame(spark, train, 120, 80), null);
    JavaRDD<LabeledPoint> points = SparkTestSupport.rows(spark, train, 120, 80)
        .map((Row r) -> new LabeledPoint(r.getDouble(1), (Vector) r.get(0)));
    t.fit(b, points, null);
    assertThat(b.params()).containsExactly(a.params());
  }

  @Test
  void redistributedInputIsTheSameInEveryRun() {
    DataSet train = blobs(250, 10);
    Model a = Model.init(mlp(), new SoftmaxCrossEntropy(), 12);
    Model b = a.copy();
    SparkTrainer t = new SparkTrainer(config().withEpochs(2), SparkOptions.DEFAULTS.withPartitions(3));
    History h = t.fit(a, frame(spark, train, 250), null);
    t.fit(b, frame(spark, train, 200, 50), null);
    Model c = Model.init(mlp(), new SoftmaxCrossEntropy(), 12);
    t.fit(c, frame(spark, train, 250), null);
    assertThat(h.last().samples()).isEqualTo(250);
    assertThat(c.params()).containsExactly(a.params());
    // Another input partitioning gives other partitions, hence other shuffles: close, not equal.
    assertThat(b.params()).isNotEqualTo(a.params());
  }

  /** A token model; the padded steps of each sample are masked through every layer. */
  static Sequential sequenceModel() {
    return Sequential.of(Shape.of(7), new Embedding(9, 4), new LSTM(5), new Dense(3));
  }

  @Test
  void tokenSequencesOnOnePartitionAreBitIdenticalToTheSingleJvmTrainer() {
    DataSet train = SparkTestSupport.tokens(150, 7, 9, 21);
    DataSet val = SparkTestSupport.tokens(40, 7, 9, 22);
    Model local = Model.init(sequenceModel(), new SoftmaxCrossEntropy(), 5);
    Model distributed = local.copy();
    History hl = new Trainer(config()).fit(local, train, val);
    History hd = new SparkTrainer(config(), SparkOptions.DEFAULTS.withPartitions(1))
        .fit(distributed, frame(spark, train, 150), frame(spark, val, 40));
    assertThat(distributed.params()).containsExactly(local.params());
    assertThat(hd.series("loss")).containsExactly(hl.series("loss"));
    assertThat(hd.series("val_loss")).containsExactly(hl.series("val_loss"));
  }

  @Test
  void tokenSequencesOnUnequalPartitionsMatchThePartitionSumInOneJvm() {
    DataSet train = SparkTestSupport.tokens(150, 7, 9, 23);
    int[] sizes = {20, 70, 0, 60};
    Model reference = Model.init(sequenceModel(), new SoftmaxCrossEntropy(), 6);
    Model distributed = reference.copy();
    try (GradientSource local = new Workers(reference, split(train, sizes), config().seed())) {
      new Trainer(config()).fit(reference, local, null, null);
    }
    History h = new SparkTrainer(config(), SparkOptions.DEFAULTS.withPartitions(4))
        .fit(distributed, frame(spark, train, sizes), null);
    assertThat(h.last().samples()).isEqualTo(150);
    assertClose(distributed.params(), reference.params(), 1e-5f);
    assertThat(distributed.params()).isNotEqualTo(Model.init(sequenceModel(), new SoftmaxCrossEntropy(), 6).params());
  }

  static void assertClose(float[] actual, float[] expected, float tol) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < actual.length; i++) {
      float bound = tol * Math.max(1, Math.abs(expected[i]));
      assertThat(actual[i]).as("parameter %d", i).isCloseTo(expected[i], within(bound));
    }
  }

  /** The reference: several partitions' workers summed in this JVM, partition index = position. */
  static final class Workers implements GradientSource {
    private final List<PartitionWorker> workers = new ArrayList<>();
    private final long size;

    Workers(Model model, DataSet[] parts, long seed) {
      long n = 0;
      for (int p = 0; p < parts.length; p++) {
        workers.add(new PartitionWorker(model.architecture(), model.loss(), parts[p], p, seed));
        n += parts[p].size();
      }
      size = n;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public LossSums gradient(float[] params, int epoch, int step, int steps, float[] grad) {
      java.util.Arrays.fill(grad, 0f);
      LossSums s = LossSums.ZERO;
      for (PartitionWorker w : workers) {
        s = s.plus(w.accumulate(params, epoch, step, steps, grad));
      }
      return s;
    }
  }
}
