package io.sparkprop.benchmarks;

import io.sparkprop.core.tensor.Gemm;
import io.sparkprop.core.tensor.Gemms;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Time of one row-major float GEMM {@code C = op(A)·op(B)} per backend and shape. The shapes are
 * those of a 784-256-128-10 MLP at batch 128: the three forward products, and the weight gradient
 * (Aᵀ·B) and input gradient (A·Bᵀ) of the first hidden layer. GFLOP/s = {@code 2·m·n·k / time}
 * ({@link BenchmarkReport} prints it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class GemmBenchmark {
  /**
   * The backend: {@code ejml} (reference), {@code java} (netlib Java BLAS), {@code native}; also
   * {@code stable} on request ({@code -p backend=native,stable}): the row-stable inference kernel,
   * {@link io.sparkprop.core.tensor.StableGemm}.
   */
  @Param({"ejml", "java", "native"})
  public String backend;

  /** The shape, see {@link GemmCase#parse}. */
  @Param({"AB:128x784x256", "AB:128x256x128", "AB:128x128x10", "AtB:784x128x256", "ABt:128x256x784"})
  public String shape;

  private Gemm gemm;
  private GemmCase c;
  private float[] a;
  private float[] b;
  private float[] out;

  /** The backend named {@code name}; fails with a clear message when native BLAS does not load. */
  static Gemm backend(String name) {
    switch (name) {
      case "ejml":
        return Gemms.ejml();
      case "java":
        return Gemms.javaBlas();
      case "stable":
        return new io.sparkprop.core.tensor.StableGemm();
      case "native":
        Gemm g = Gemms.nativeBlas();
        if (g == null) {
          throw new IllegalStateException("native BLAS does not load in this JVM (no libblas.so.3?): "
              + "skipping the native backend; install OpenBLAS (libopenblas0-pthread) to measure it");
        }
        return g;
      default:
        throw new IllegalArgumentException("backend should be ejml, java, native or stable, got '" + name + "'");
    }
  }

  @Setup
  public void setUp() {
    gemm = backend(backend);
    c = GemmCase.parse(shape);
    SplittableRandom rnd = new SplittableRandom(42);
    a = random(c.m() * c.k(), rnd);
    b = random(c.k() * c.n(), rnd);
    out = new float[c.m() * c.n()];
  }

  private static float[] random(int n, SplittableRandom rnd) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return x;
  }

  /** One product into a reused output (beta = 0); returned so the JIT cannot drop it. */
  @Benchmark
  public float[] gemm() {
    gemm.gemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), 1f, a, 0, b, 0, 0f, out, 0);
    return out;
  }
}
