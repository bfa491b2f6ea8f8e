package io.sparkprop.spark.train;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.tensor.Shape;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * Passes converted blocks through one shuffle onto {@code P} partitions, deterministically. When
 * the input has {@code P} partitions too, block {@code i} stays whole and becomes partition
 * {@code i}; otherwise sample {@code r} of input block {@code i} goes to partition
 * {@code (i + r) mod P}, and each new partition concatenates what it receives in input-block
 * order, then row order. Unlike {@code repartition}, whose row order inside a partition depends
 * on the order shuffle blocks arrive in, the result is the same in every run, so shuffles and
 * results repeat bit for bit. Only the arrays travel (floats, or int token ids and lengths, and
 * sample weights).
 *
 * <p>The shuffle also cuts the lineage: the cached blocks neither depend on nor carry the
 * input's partition objects. Those can be heavy (a parallelised collection's partitions hold
 * their rows, and its RDD the whole collection), and Spark would otherwise serialise them into
 * every task of every training step.
 */
final class Rebalancer {

  private Rebalancer() {
  }

  /** The samples of one input block bound for one partition. */
  record Piece(int block, int count, float[] features, float[] labels, int[] tokens, int[] lengths, float[] weights)
      implements Serializable {
  }

  /** {@code blocks} (one per partition) moved, or spread, onto {@code partitions} partitions. */
  static JavaRDD<DataSet> rebalance(JavaRDD<DataSet> blocks, int partitions, Shape sampleShape, int labelWidth) {
    boolean keep = partitions == blocks.getNumPartitions();
    JavaRDD<Tuple2<Integer, Piece>> pieces = blocks.mapPartitionsWithIndex(new Split(partitions, keep), false);
    return JavaPairRDD.fromJavaRDD(pieces)
        .partitionBy(new HashPartitioner(partitions))
        .values()
        .mapPartitions(new Join(sampleShape, labelWidth));
  }

  /** Cuts block {@code i} into its pieces for each target partition (or keeps it whole). */
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
      DataSet d = it.next();
      int n = d.size();
      if (keep) {
        return Collections.singletonList(new Tuple2<>(block, new Piece(block, n, d.features(), d.labels(), d.tokens(),
            d.lengths(), d.weights()))).iterator();
      }
      int f = d.featureSize();
      int lw = d.labelWidth();
      List<Tuple2<Integer, Piece>> out = new ArrayList<>();
      for (int t = 0; t < partitions; t++) {
        int first = Math.floorMod(t - block, partitions);
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
          int r = first + k * partitions;
          if (tokens) {
            System.arraycopy(d.tokens(), r * f, ids, k * f, f);
          } else {
            System.arraycopy(d.features(), r * f, x, k * f, f);
          }
          if (lens != null) {
            lens[k] = d.lengths()[r];
          }
          System.arraycopy(d.labels(), r * lw, y, k * lw, lw);
          if (ws != null) {
            ws[k] = d.weights()[r];
          }
        }
        out.add(new Tuple2<>(t, new Piece(block, count, x, y, ids, lens, ws)));
      }
      return out.iterator();
    }
  }

  /** Concatenates a partition's pieces in block order. */
  private static final class Join implements FlatMapFunction<Iterator<Piece>, DataSet> {
    private static final long serialVersionUID = 1L;
    private final Shape sampleShape;
    private final int labelWidth;

    Join(Shape sampleShape, int labelWidth) {
      this.sampleShape = sampleShape;
      this.labelWidth = labelWidth;
    }

    @Override
    public Iterator<DataSet> call(Iterator<Piece> it) {
      List<Piece> pieces = new ArrayList<>();
      long n = 0;
      while (it.hasNext()) {
        Piece p = it.next();
        pieces.add(p);
        n += p.count();
      }
      pieces.sort(Comparator.comparingInt(Piece::block));
      int f = sampleShape.size();
      boolean tokens = !pieces.isEmpty() && pieces.get(0).tokens() != null;
      boolean hasLengths = !pieces.isEmpty() && pieces.get(0).lengths() != null;
      boolean weighted = !pieces.isEmpty() && pieces.get(0).weights() != null;
      float[] w = weighted ? new float[(int) n] : null;
      float[] x = new float[tokens ? 0 : Math.toIntExact(n * f)];
      float[] y = new float[Math.toIntExact(n * labelWidth)];
      int[] ids = tokens ? new int[Math.toIntExact(n * f)] : null;
      int[] lens = hasLengths ? new int[(int) n] : null;
      int at = 0;
      for (Piece p : pieces) {
        if (tokens) {
          System.arraycopy(p.tokens(), 0, ids, at * f, p.count() * f);
        } else {
          System.arraycopy(p.features(), 0, x, at * f, p.count() * f);
        }
        if (hasLengths) {
          System.arraycopy(p.lengths(), 0, lens, at, p.count());
        }
        System.arraycopy(p.labels(), 0, y, at * labelWidth, p.count() * labelWidth);
        if (weighted) {
          System.arraycopy(p.weights(), 0, w, at, p.count());
        }
        at += p.count();
      }
      DataSet d = tokens ? DataSet.ofTokens(f, labelWidth, (int) n, ids, y, lens)
          : hasLengths ? DataSet.ofSequences(sampleShape, labelWidth, (int) n, x, y, lens)
          : new DataSet(sampleShape, labelWidth, (int) n, x, y);
      return Collections.singletonList(weighted ? d.withWeights(w) : d).iterator();
    }
  }
}
