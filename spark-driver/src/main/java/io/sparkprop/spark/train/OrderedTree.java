package io.sparkprop.spark.train;

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
 * The levels of a tree sum whose additions happen in a fixed order. Spark's {@code treeReduce}
 * and {@code reduce} add partial results in the order tasks finish, so with three or more
 * partitions float sums (and hence trained parameters) vary from run to run. Here each level
 * sends partial result {@code i} to partition {@code i mod m} (Spark's tree shape: {@code m}
 * shrinks by {@code scale = max(2, ⌈P^(1/depth)⌉)} per level), each partition adds what it gets
 * in ascending {@code i}, and the caller adds the last level's results in partition order
 * ({@code collect()} returns them so).
 */
final class OrderedTree {

  private OrderedTree() {
  }

  /** {@code results} (one per partition) reduced by {@code depth − 1} shuffle levels. */
  static JavaRDD<StepResult> levels(JavaRDD<StepResult> results, int depth) {
    int n = results.getNumPartitions();
    int scale = (int) Math.max(2, Math.ceil(Math.pow(n, 1.0 / depth)));
    JavaRDD<StepResult> r = results;
    while (n > scale + Math.ceil((double) n / scale)) {
      n /= scale;
      JavaRDD<Tuple2<Integer, Tuple2<Integer, StepResult>>> keyed = r.mapPartitionsWithIndex(new Key(n), false);
      r = JavaPairRDD.fromJavaRDD(keyed).partitionBy(new HashPartitioner(n)).values().mapPartitions(new Sum());
    }
    return r;
  }

  /**
   * What {@link #levels} followed by {@link #sumInOrder} computes, done in this JVM on results
   * already here (the barrier mode's driver): the same groups added in the same order, hence the
   * same floats. Adds into the elements of {@code parts}.
   */
  static StepResult sumAsTree(List<StepResult> parts, int depth) {
    int n = parts.size();
    int scale = (int) Math.max(2, Math.ceil(Math.pow(n, 1.0 / depth)));
    List<StepResult> r = parts;
    while (n > scale + Math.ceil((double) n / scale)) {
      n /= scale;
      List<StepResult> next = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        List<StepResult> group = new ArrayList<>();
        for (int i = j; i < r.size(); i += n) { // partial i goes to i mod n, added in ascending i
          group.add(r.get(i));
        }
        next.add(sumInOrder(group));
      }
      r = next;
    }
    return sumInOrder(r);
  }

  /** Sums {@code parts} in list order into a result (the first element, added into in place). */
  static StepResult sumInOrder(List<StepResult> parts) {
    StepResult acc = new StepResult();
    for (StepResult p : parts) {
      acc = StepResult.plusInPlace(acc, p);
    }
    return acc;
  }

  /** Tags partial result {@code i} with its target partition {@code i mod m} and its index. */
  private static final class Key
      implements Function2<Integer, Iterator<StepResult>, Iterator<Tuple2<Integer, Tuple2<Integer, StepResult>>>> {
    private static final long serialVersionUID = 1L;
    private final int m;

    Key(int m) {
      this.m = m;
    }

    @Override
    public Iterator<Tuple2<Integer, Tuple2<Integer, StepResult>>> call(Integer i, Iterator<StepResult> it) {
      List<Tuple2<Integer, Tuple2<Integer, StepResult>>> out = new ArrayList<>(1);
      while (it.hasNext()) {
        out.add(new Tuple2<>(i % m, new Tuple2<>(i, it.next())));
      }
      return out.iterator();
    }
  }

  /** Adds a partition's partial results in ascending index order. */
  private static final class Sum implements FlatMapFunction<Iterator<Tuple2<Integer, StepResult>>, StepResult> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<StepResult> call(Iterator<Tuple2<Integer, StepResult>> it) {
      List<Tuple2<Integer, StepResult>> parts = new ArrayList<>();
      it.forEachRemaining(parts::add);
      parts.sort(Comparator.comparingInt(Tuple2::_1));
      List<StepResult> ordered = new ArrayList<>(parts.size());
      for (Tuple2<Integer, StepResult> t : parts) {
        ordered.add(t._2());
      }
      return Collections.singletonList(sumInOrder(ordered)).iterator();
    }
  }
}
