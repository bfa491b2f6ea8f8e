package io.sparkprop.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparkprop.core.tensor.Gemm;
import io.sparkprop.core.tensor.Gemms;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The arithmetic behind the printed tables (the benchmarks themselves never run in the build). */
class BenchmarkReportTest {

  @Test
  void parsesGemmCases() {
    assertThat(GemmCase.parse("AtB:784x128x256"))
        .isEqualTo(new GemmCase("AtB:784x128x256", true, false, 784, 128, 256));
    assertThat(GemmCase.parse("ABt:128x256x784").transB()).isTrue();
    assertThat(GemmCase.parse("AB:128x784x256").flops()).isEqualTo(2.0 * 128 * 784 * 256);
    assertThatThrownBy(() -> GemmCase.parse("AB:128x784")).hasMessageContaining("op:MxKxN");
    assertThatThrownBy(() -> GemmCase.parse("BA:1x2x3")).hasMessageContaining("got 'BA'");
    assertThatThrownBy(() -> GemmCase.parse("AB:1xax3")).hasMessageContaining("integers");
  }

  @Test
  void convertsJmhUnitsToSeconds() {
    assertThat(BenchmarkReport.secondsPerOp(250, "us/op")).isCloseTo(2.5e-4, within(1e-15));
    assertThat(BenchmarkReport.secondsPerOp(3, "ms/op")).isCloseTo(3e-3, within(1e-15));
    assertThat(BenchmarkReport.secondsPerOp(4, "ops/ms")).isCloseTo(2.5e-4, within(1e-15));
    assertThatThrownBy(() -> BenchmarkReport.secondsPerOp(1, "fortnights/op"))
        .hasMessageContaining("fortnights/op");
  }

  @Test
  void countsTrainingStepFlops() {
    double weights = 784 * 256 + 256 * 128 + 128 * 10;
    assertThat(TrainStepBenchmark.nominalFlopsPerStep()).isEqualTo(6.0 * 128 * weights);
    assertThat(TrainStepBenchmark.executedFlopsPerStep()).isEqualTo(6.0 * 128 * weights - 2.0 * 128 * 784 * 256);
    assertThat(TrainStepBenchmark.architecture().paramCount()).isEqualTo((int) weights + 256 + 128 + 10);
  }

  @Test
  void everyBenchmarkedBackendComputesTheSameProductAsEjml() {
    Gemm ejml = GemmBenchmark.backend("ejml");
    SplittableRandom rnd = new SplittableRandom(3);
    for (String shape : new String[] {"AB:5x7x3", "AtB:6x4x5", "ABt:3x8x2"}) {
      GemmCase c = GemmCase.parse(shape);
      float[] a = new float[c.m() * c.k()];
      float[] b = new float[c.k() * c.n()];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) rnd.nextDouble(-1, 1);
      }
      for (int i = 0; i < b.length; i++) {
        b[i] = (float) rnd.nextDouble(-1, 1);
      }
      float[] want = new float[c.m() * c.n()];
      ejml.gemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), 1f, a, 0, b, 0, 0f, want, 0);
      for (String backend : Gemms.nativeBlas() == null ? new String[] {"java"} : new String[] {"java", "native"}) {
        float[] got = new float[want.length];
        GemmBenchmark.backend(backend).gemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), 1f, a, 0, b, 0, 0f, got, 0);
        for (int i = 0; i < want.length; i++) {
          assertThat(got[i]).as("%s %s [%d]", backend, shape, i).isCloseTo(want[i], within(1e-5f));
        }
      }
    }
    assertThatThrownBy(() -> GemmBenchmark.backend("cuda")).hasMessageContaining("got 'cuda'");
  }
}
