package io.sparkprop.spark.train;

import io.sparkprop.core.data.DataSet;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * Passes converted blocks through one shuffle onto {@code P} partitions, deterministically. An
 * input partition arrives as a sequence of capped blocks ({@link BlockConverter}); sample
 * {@code r} of input partition {@code i} (counted across its blocks) goes to partition
 * {@code (i + r) mod P}, or stays in partition {@code i} when the input has {@code P} partitions
 * too, and each new partition reads what it receives in (input partition, block) order, then row
 * order ({@link MappedSamples} keeps that order whatever order the pieces arrive in). Unlike
 * {@code repartition}, whose row order inside a partition depends on the order shuffle blocks
 * arrive in, the result is the same in every run, so steps repeat bit for bit; and how the input
 * was cut into blocks changes nothing. Only the arrays travel (floats, or int token ids and
 * lengths, and sample weights), one capped piece at a time.
 *
 * <p>The shuffle also cuts the lineage: the cached blocks neither depend on nor carry the
 * input's partition objects. Those can be heavy (a parallelised collection's partitions hold
 * their rows, and its RDD the whole collection), and Spark would otherwise serialise them into
 * every task of every training step.
 */
final class Rebalancer {

  private Rebalancer() {
  }

  /** The samples of block {@code seq} of input partition {@code block} bound for one partition. */
  record Piece(int block, int seq, int count, float[] features, float[] labels, int[] tokens, int[] lengths,
               float[] weights) implements Serializable {
  }

  /** {@code blocks} (several per input partition) moved, or spread, onto {@code partitions} partitions. */
  static JavaRDD<Piece> rebalance(JavaRDD<DataSet> blocks, int partitions) {
    boolean keep = partitions == blocks.getNumPartitions();
    JavaRDD<Tuple2<Integer, Piece>> pieces = blocks.mapPartitionsWithIndex(new Split(partitions, keep), false);
    return JavaPairRDD.fromJavaRDD(pieces)
        .partitionBy(new HashPartitioner(partitions))
        .values();
  }

  /** Cuts the blocks of input partition {@code i} into their pieces for each target partition, lazily. */
  private static final class Split implements Function2<Integer, Iterator<DataSet>, Iterator<Tuple2<Integer, Piece>>> {
    private static final long serialVersionUID = 1L;
    private final int partitions;
    private final boolean keep;

    Split(int partitions, boolean keep) {
      this.partitions = partitions;
      this.keep = keep;
    }

    @Override
    public Iterator<Tuple2<Integer, Piece>> call(Integer block, Iterator<DataSet> it) {
      return new Iterator<>() {
        private final ArrayDeque<Tuple2<Integer, Piece>> ready = new ArrayDeque<>();
        private long offset;
        private int seq;

        @Override
        public boolean hasNext() {
          while (ready.isEmpty() && it.hasNext()) {
            DataSet d = it.next();
            cut(block, seq++, offset, d, partitions, keep, (t, p) -> ready.add(new Tuple2<>(t, p)));
            offset += d.size();
          }
          return !ready.isEmpty();
        }

        @Override
        public Tuple2<Integer, Piece> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return ready.poll();
        }
      };
    }
  }

  /**
   * The pieces of block {@code seq} of input partition {@code block}, whose row 0 is row
   * {@code offset} there, each given to {@code out} with its target partition: the whole block to
   * partition {@code block} when {@code keep}, else sample {@code r} of the input partition to
   * {@code (block + r) mod partitions}. Shared by the shuffle and by the small-data path
   * ({@link SmallData}), so that both place every sample alike.
   */
  static void cut(int block, int seq, long offset, DataSet d, int partitions, boolean keep,
                  BiConsumer<Integer, Piece> out) {
    int n = d.size();
    if (keep) {
      out.accept(block, new Piece(block, seq, n, d.features(), d.labels(), d.tokens(), d.lengths(), d.weights()));
      return;
    }
    int f = d.featureSize();
    int lw = d.labelWidth();
    for (int t = 0; t < partitions; t++) {
      int first = (int) Math.floorMod(t - block - offset, (long) partitions);
      int count = first >= n ? 0 : (n - first + partitions - 1) / partitions;
      if (count == 0) {
        continue;
      }
      boolean tokens = d.isTokens();
      float[] x = new float[tokens ? 0 : count * f];
      float[] y = new float[count * lw];
      int[] ids = tokens ? new int[count * f] : null;
      int[] lens = d.lengths() == null ? null : new int[count];
      float[] ws = d.weights() == null ? null : new float[count];
      for (int k = 0; k < count; k++) {
        d.copySample(first + k * partitions, k, x, ids, lens, y, ws);
      }
      out.accept(t, new Piece(block, seq, count, x, y, ids, lens, ws));
    }
  }
}
