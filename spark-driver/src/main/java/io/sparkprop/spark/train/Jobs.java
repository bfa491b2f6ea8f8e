package io.sparkprop.spark.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs one job over every partition of an RDD with {@code SparkContext.runJob} and returns the
 * results in partition order. Unlike {@code JavaRDD.mapPartitions(...).collect()} it creates no
 * RDD and hands Spark no Scala lambdas (whose class files the closure cleaner would read and
 * parse on every call); in local mode that halves the cost of a job.
 */
final class Jobs {

  private Jobs() {
  }

  /** {@code func} on every partition of {@code rdd}; element {@code i} is partition {@code i}'s result. */
  static <T, U> List<U> run(SparkContext sc, RDD<T> rdd,
                            AbstractFunction2<TaskContext, scala.collection.Iterator<T>, U> func, Class<U> type) {
    int n = rdd.getNumPartitions();
    List<Object> indices = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      indices.add(i);
    }
    Collector<U> results = new Collector<>(n);
    sc.runJob(rdd, func, scala.jdk.javaapi.CollectionConverters.asScala(indices).toList(), results,
        ClassTag.apply(type));
    return Arrays.asList(results.values);
  }

  /** Stores each partition's result at its index (runs on the driver). */
  private static final class Collector<U> extends AbstractFunction2<Object, U, BoxedUnit> {
    final U[] values;

    @SuppressWarnings("unchecked")
    Collector(int n) {
      values = (U[]) new Object[n];
    }

    @Override
    public BoxedUnit apply(Object index, U value) {
      values[(Integer) index] = value;
      return BoxedUnit.UNIT;
    }
  }
}
