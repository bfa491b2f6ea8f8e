package io.sparkprop.spark.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.train.PartitionWorker;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkTestSupport;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the converter cuts a partition (capped blocks of a few rows, mapped segments of a few
 * records) changes no float: every step's gradient and loss sums, and the evaluation, equal
 * those of one block per partition, and (partitions kept) those of in-JVM workers over the
 * same rows, bit for bit.
 */
class CappedBlocksTest {
  private static final int[] SIZES = {37, 0, 64, 19};
  @LocalSpark static SparkSession spark;
  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }


  /** Rows {@code SIZES} of a data set onto {@code partitions}, with blocks of {@code blockBytes}, segments of {@code segmentBytes}. */
  private static Blocks blocks(DataSet d, int partitions, int blockBytes, long segmentBytes) {
    RowFormat f = RowFormat.of(SparkTestSupport.SCHEMA, "features", "label", 2, 3, "test data");
    return BlockConverter.convert(SparkTestSupport.rows(spark, d, SIZES), f, BarrierGradientSourceTest.mlp(),
        new SoftmaxCrossEntropy(), partitions, 5, "test data", blockBytes, segmentBytes);
  }

  /** Each step's gradient and loss sums over 2 epochs at batch 16, then the evaluation, from one model. */
  private static List<Object> run(Blocks b) {
    float[] params = Model.init(BarrierGradientSourceTest.mlp(), new SoftmaxCrossEntropy(), 3).params();
    List<Object> out = new ArrayList<>();
    try (SparkGradientSource source = new SparkGradientSource(jsc, b, 0)) {
      int steps = PartitionWorker.stepsPerEpoch(b.size(), 16);
      for (int e = 0; e < 2; e++) {
        for (int s = 0; s < steps; s++) {
          float[] g = new float[params.length];
          LossSums sums = source.gradient(params, e, s, steps, g);
          out.add(g);
          out.add(sums);
        }
      }
    }
    out.add(new SparkEvaluator(jsc, b).evaluate(params));
    return out;
  }

  private static void assertSame(List<Object> actual, List<Object> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      if (expected.get(i) instanceof float[] e) {
        assertThat((float[]) actual.get(i)).as("gradient of step %d", i / 2).containsExactly(e);
      } else {
        assertThat(actual.get(i)).as("sums %d", i).isEqualTo(expected.get(i));
      }
    }
  }

  @Test
  void severalCappedBlocksAndSegmentsGiveTheFloatsOfOneBlock() {
    DataSet d = SparkTestSupport.blobs(120, 11);
    for (int partitions : new int[] {4, 3}) { // kept as they are; spread onto other partitions
      Blocks whole = blocks(d, partitions, BlockConverter.BLOCK_BYTES, MappedSamples.SEGMENT_BYTES);
      // blocks of 48 bytes (1 to 3 rows) and mapped segments of 80 bytes (2 to 4 records)
      Blocks capped = blocks(d, partitions, 3 * 16, 5 * 16);
      try {
        assertThat(capped.partitionSizes()).containsExactly(whole.partitionSizes());
        assertSame(run(capped), run(whole));
      } finally {
        whole.release();
        capped.release();
      }
    }
  }

  @Test
  void cappedBlocksEqualInJvmWorkersOverTheSameRows() {
    DataSet d = SparkTestSupport.blobs(120, 12);
    Blocks capped = blocks(d, SIZES.length, 2 * 16, 3 * 16);
    DataSet[] parts = SparkTestSupport.split(d, SIZES);
    try {
      float[] params = Model.init(BarrierGradientSourceTest.mlp(), new SoftmaxCrossEntropy(), 3).params();
      List<PartitionWorker> local = new ArrayList<>();
      for (int p = 0; p < parts.length; p++) {
        local.add(new PartitionWorker(BarrierGradientSourceTest.mlp(), new SoftmaxCrossEntropy(), parts[p], p, 5));
      }
      List<Object> expected = new ArrayList<>();
      int steps = PartitionWorker.stepsPerEpoch(d.size(), 16);
      for (int e = 0; e < 2; e++) {
        for (int s = 0; s < steps; s++) {
          float[] g = null;
          LossSums sums = LossSums.ZERO;
          for (PartitionWorker w : local) { // partition order, as the driver sums; empty slices send nothing
            float[] part = new float[params.length];
            LossSums one = w.accumulate(params, e, s, steps, part);
            if (one.count() == 0) {
              continue;
            }
            sums = sums.plus(one);
            if (g == null) {
              g = part;
            } else {
              for (int i = 0; i < g.length; i++) {
                g[i] += part[i];
              }
            }
          }
          expected.add(g == null ? new float[params.length] : g);
          expected.add(sums);
        }
      }
      LossSums eval = LossSums.ZERO;
      for (PartitionWorker w : local) {
        eval = eval.plus(w.evaluate(params));
      }
      expected.add(eval);
      assertSame(run(capped), expected);
    } finally {
      capped.release();
    }
  }
}
