package io.sparkprop.benchmarks;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.GradientSource;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.PartitionWorker;
import io.sparkprop.core.train.Timings;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.spark.SparkOptions;
import io.sparkprop.spark.train.Blocks;
import io.sparkprop.spark.train.SparkTraining;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Where a Spark training step's time goes: the per-step split of a run (the gradient source's
 * {@link Timings} read around every step), and the floor Spark itself sets: an empty two-task job
 * over a cached RDD (through the Java RDD API and through {@code runJob}), and one broadcast of
 * the parameter vector created and destroyed.
 */
final class SparkStepCost {

  private SparkStepCost() {
  }

  /**
   * Median per-step milliseconds of {@code epochs} epochs after one warm-up epoch of training
   * {@code model} on {@code train} (rows with "features" and "label") in {@code partitions}
   * partitions: the whole step as the loop sees it (from one step's end to the next's), and its
   * broadcast, compute, aggregate and driver-update parts; the mean CPU time of the whole JVM
   * per step; and the mean epoch time and samples/s.
   * Medians, because a shared machine adds rare long pauses that would dominate means.
   */
  static PerStep measure(JavaSparkContext jsc, Model model, Dataset<Row> train, TrainingConfig cfg, int partitions,
                         Mode mode) {
    Dataset<Row> two = train.select("features", "label");
    Blocks blocks = SparkTraining.blocks(two.javaRDD(), two.schema(), "features", "label", model.architecture(),
        model.loss(), partitions, cfg.seed(), "training data");
    jsc.sc().setLocalProperty(SparkTraining.BARRIER_CHANNEL, mode == Mode.BARRIER_TCP ? "tcp" : null);
    GradientSource source = SparkTraining.gradientSource(jsc, blocks,
        mode == Mode.JOBS ? SparkOptions.Sync.JOBS : SparkOptions.Sync.BARRIER, 0, 120);
    try (source) {
      Recorder rec = new Recorder(source);
      History h = new Trainer(cfg).addListener(rec).fit(model, rec, null, null);
      if (SparkTraining.jobSteps(source) > 0) {
        throw new IllegalStateException(mode + ": " + SparkTraining.jobSteps(source) + " steps fell back to jobs mode");
      }
      int steps = PartitionWorker.stepsPerEpoch(blocks.size(), cfg.batchSize());
      int from = steps; // skip the warm-up epoch
      double sec = 0;
      long samples = 0;
      for (EpochLog e : h.epochs().subList(1, h.epochs().size())) {
        sec += e.seconds();
        samples += e.samples();
      }
      int epochs = h.epochs().size() - 1;
      return new PerStep(steps, rec.median(rec.wall, from), rec.median(rec.broadcast, from),
          rec.median(rec.compute, from), rec.median(rec.aggregate, from), rec.median(rec.update, from),
          rec.meanCpu(from), sec / epochs, samples / sec);
    } finally {
      jsc.sc().setLocalProperty(SparkTraining.BARRIER_CHANNEL, null);
      blocks.release();
    }
  }

  /** The sync modes measured: a job per step; a barrier stage with the in-JVM or the TCP channel. */
  enum Mode {
    JOBS("jobs"), BARRIER("barrier, in-JVM"), BARRIER_TCP("barrier, TCP");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  /** Median per-step milliseconds and epoch figures. */
  record PerStep(int steps, double total, double broadcast, double compute, double aggregate, double update,
                 double cpu, double epochSeconds, double samplesPerSecond) {
    /** Everything that is not gradient computation or the optimizer step. */
    double overhead() {
      return total - compute - update;
    }
  }

  /** Wraps a source to record each step's phases, and listens for each step's end. */
  private static final class Recorder implements GradientSource, TrainingListener {
    private final GradientSource inner;
    final List<Double> wall = new ArrayList<>();
    final List<Double> broadcast = new ArrayList<>();
    final List<Double> compute = new ArrayList<>();
    final List<Double> aggregate = new ArrayList<>();
    final List<Double> update = new ArrayList<>();
    final List<Double> cpu = new ArrayList<>();
    private long stepStart;
    private long cpuStart;
    private long gradientEnd;

    Recorder(GradientSource inner) {
      this.inner = inner;
    }

    @Override
    public long size() {
      return inner.size();
    }

    @Override
    public LossSums gradient(float[] params, int epoch, int step, int steps, float[] grad) {
      long[] before = inner.timings().snapshot();
      stepStart = System.nanoTime();
      cpuStart = processCpuNanos();
      LossSums s = inner.gradient(params, epoch, step, steps, grad);
      gradientEnd = System.nanoTime();
      long[] after = inner.timings().snapshot();
      broadcast.add((after[0] - before[0]) / 1e6);
      compute.add((after[1] - before[1]) / 1e6);
      aggregate.add((after[2] - before[2]) / 1e6);
      return s;
    }

    @Override
    public Timings timings() {
      return inner.timings();
    }

    @Override
    public void onStepEnd(int epoch, int step, int steps, LossSums sums) {
      long now = System.nanoTime();
      update.add((now - gradientEnd) / 1e6);
      wall.add((now - stepStart) / 1e6);
      cpu.add((processCpuNanos() - cpuStart) / 1e6);
    }

    double meanCpu(int from) {
      double sum = 0;
      for (int i = from; i < cpu.size(); i++) {
        sum += cpu.get(i);
      }
      return sum / (cpu.size() - from);
    }

    double median(List<Double> v, int from) {
      double[] a = new double[v.size() - from];
      for (int i = 0; i < a.length; i++) {
        a[i] = v.get(from + i);
      }
      return SparkStepCost.median(a);
    }
  }

  /** Median wall milliseconds and mean CPU milliseconds (all threads of this JVM) of an operation. */
  record Cost(double wallMillis, double cpuMillis) {
  }

  /**
   * An empty job (one tiny result per partition) over a cached RDD, through
   * {@code JavaRDD.mapPartitions(...).collect()} ({@code viaRunJob} false) or through
   * {@code SparkContext.runJob} with a plain function object (true, as the trainer does).
   */
  static Cost emptyJob(JavaSparkContext jsc, int partitions, int reps, boolean viaRunJob) {
    JavaRDD<Integer> rdd = jsc.parallelize(Arrays.asList(new Integer[partitions]), partitions).cache();
    rdd.count();
    List<Object> indices = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      indices.add(i);
    }
    scala.collection.immutable.Seq<Object> parts = scala.jdk.javaapi.CollectionConverters.asScala(indices).toList();
    double[] t = new double[reps];
    long cpu0 = processCpuNanos();
    for (int r = 0; r < reps; r++) {
      long t0 = System.nanoTime();
      if (viaRunJob) {
        jsc.sc().runJob(rdd.rdd(), new One(), parts, new Ignore(), scala.reflect.ClassTag.apply(Integer.class));
      } else {
        rdd.mapPartitions(it -> Collections.singletonList(1).iterator()).collect();
      }
      t[r] = (System.nanoTime() - t0) / 1e6;
    }
    long cpu = processCpuNanos() - cpu0;
    rdd.unpersist();
    return new Cost(median(t), cpu / 1e6 / reps);
  }

  /** A job function returning 1. */
  private static final class One extends AbstractFunction2<TaskContext, scala.collection.Iterator<Integer>, Integer>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer apply(TaskContext c, scala.collection.Iterator<Integer> it) {
      return 1;
    }
  }

  /** A result handler that drops results. */
  private static final class Ignore extends AbstractFunction2<Object, Integer, BoxedUnit> {
    @Override
    public BoxedUnit apply(Object i, Integer v) {
      return BoxedUnit.UNIT;
    }
  }

  /** Broadcasting {@code floats} floats and destroying the broadcast. */
  static Cost broadcast(JavaSparkContext jsc, int floats, int reps) {
    float[] p = new float[floats];
    double[] t = new double[reps];
    long cpu0 = processCpuNanos();
    for (int r = 0; r < reps; r++) {
      long t0 = System.nanoTime();
      Broadcast<float[]> b = jsc.broadcast(p);
      b.destroy();
      t[r] = (System.nanoTime() - t0) / 1e6;
    }
    return new Cost(median(t), (processCpuNanos() - cpu0) / 1e6 / reps);
  }

  /**
   * CPU time used so far by all threads of this JVM (Spark's scheduler, executor and result
   * threads, GC, JIT). On a loaded machine a step's wall time is mostly waiting for a core at
   * each hand-over between Spark's threads; its CPU time is what an idle machine would pay.
   */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
