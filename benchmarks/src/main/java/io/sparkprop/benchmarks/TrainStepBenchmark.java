package io.sparkprop.benchmarks;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.optim.OptimizerState;
import io.sparkprop.core.optim.Optimizers;
import io.sparkprop.core.tensor.Gemms;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.PartitionWorker;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Time of one local training step of a 784-256-128-10 ReLU MLP with softmax cross-entropy at
 * batch {@value #BATCH}, as the trainer does it: gather a shuffled batch, forward, backward
 * ({@link PartitionWorker#accumulate}), {@code g ← g/B}, Adam update ({@link Optimizers#step}).
 * The data are {@value #SAMPLES} random samples (the cost does not depend on the values).
 *
 * <p>{@link #trainStep} uses the backend the trainer picks ({@code Gemms.best()}: native BLAS when
 * it loads); {@link #trainStepJavaBlas} forks a JVM where native BLAS is switched off
 * ({@code -Ddev.ludovic.netlib.blas.allowNative=false}), i.e. what a machine without OpenBLAS gets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class TrainStepBenchmark {
  /** Samples per step. */
  public static final int BATCH = 128;
  /** Samples in the synthetic data set (16 steps per epoch). */
  public static final int SAMPLES = BATCH * 16;
  /** Layer widths of the MLP, input first. */
  static final int[] WIDTHS = {784, 256, 128, 10};

  private PartitionWorker worker;
  private float[] params;
  private float[] grad;
  private int[] trainable;
  private final Adam adam = new Adam(1e-3);
  private OptimizerState state;
  private int epoch;
  private int step;

  /** The architecture: Dense+ReLU per hidden width, a Dense output (softmax is in the loss). */
  static Sequential architecture() {
    return Sequential.of(Shape.of(WIDTHS[0]), new Dense(WIDTHS[1]), new ReLU(), new Dense(WIDTHS[2]), new ReLU(),
        new Dense(WIDTHS[3]));
  }

  /** Nominal FLOPs of one step: three GEMMs of {@code 2·B·in·out} per Dense layer. */
  public static double nominalFlopsPerStep() {
    return 3 * denseFlops();
  }

  /**
   * GEMM FLOPs the step really runs: the first layer has no input gradient (∂L/∂x is not needed),
   * so it costs two GEMMs instead of three.
   */
  public static double executedFlopsPerStep() {
    return 3 * denseFlops() - 2.0 * BATCH * WIDTHS[0] * WIDTHS[1];
  }

  private static double denseFlops() {
    double f = 0;
    for (int i = 0; i + 1 < WIDTHS.length; i++) {
      f += 2.0 * BATCH * WIDTHS[i] * WIDTHS[i + 1];
    }
    return f;
  }

  @Setup
  public void setUp(BenchmarkParams bench) {
    String backend = Gemms.best().name();
    boolean wantJava = bench.getBenchmark().endsWith("JavaBlas");
    if (wantJava && !backend.startsWith("Java BLAS")) {
      throw new IllegalStateException("trainStepJavaBlas should run on Java BLAS, got " + backend);
    }
    System.out.println("training step GEMM backend: " + backend);
    Sequential arch = architecture();
    SplittableRandom rnd = new SplittableRandom(7);
    float[] x = new float[SAMPLES * WIDTHS[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextDouble();
    }
    float[] y = new float[SAMPLES];
    for (int i = 0; i < y.length; i++) {
      y[i] = rnd.nextInt(WIDTHS[WIDTHS.length - 1]);
    }
    DataSet data = new DataSet(Shape.of(WIDTHS[0]), 1, SAMPLES, x, y);
    worker = new PartitionWorker(arch, new SoftmaxCrossEntropy(), data, 0, 1L);
    params = arch.initialParams(1L);
    grad = new float[params.length];
    trainable = arch.layout().trainableRanges();
    state = OptimizerState.create(adam, params.length);
  }

  /** One step with the trainer's backend. */
  @Benchmark
  public double trainStep() {
    return step();
  }

  /** One step with netlib's Java BLAS (native switched off in this fork). */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g",
      "-Ddev.ludovic.netlib.blas.allowNative=false"})
  public double trainStepJavaBlas() {
    return step();
  }

  private double step() {
    int steps = SAMPLES / BATCH;
    Arrays.fill(grad, 0f);
    LossSums sums = worker.accumulate(params, epoch, step, steps, grad);
    float inv = 1f / sums.count();
    for (int i = 0; i < grad.length; i++) {
      grad[i] *= inv;
    }
    Optimizers.step(adam, state, params, grad, adam.learningRate(), trainable);
    if (++step == steps) {
      step = 0;
      epoch++;
    }
    return sums.lossSum();
  }
}
