package io.sparkprop.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Optimizer features the golden cases do not cover, clipping, state checks and validation. */
class OptimizersTest {
  private static final double[] START = {0.5, -1.25, 2.0};
  private static final double[][] GRADS = {{0.3, -0.7, 1.1}, {-0.2, 0.4, 0.9}, {1.5, 0.1, -0.6}};
  private static final int[] ALL = {0, 3};

  /** Runs {@code o} over the three gradients; returns p after the last step. */
  private static float[] run(Optimizer o) {
    float[] p = new float[START.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) START[i];
    }
    OptimizerState s = OptimizerState.create(o, p.length);
    for (double[] gd : GRADS) {
      float[] g = new float[gd.length];
      for (int i = 0; i < g.length; i++) {
        g[i] = (float) gd[i];
      }
      Optimizers.step(o, s, p, g, o.learningRate(), ALL);
    }
    return p;
  }

  private static void assertClose(float[] got, double[] want) {
    for (int i = 0; i < want.length; i++) {
      assertThat((double) got[i]).as("index %d", i).isCloseTo(want[i], within(1e-6 + 1e-5 * Math.abs(want[i])));
    }
  }

  @Test
  void rmsPropWithMomentumAndWeightDecayFollowsPyTorch() {
    double lr = 0.01, rho = 0.9, mu = 0.8, eps = 1e-8, wd = 0.1;
    double[] p = START.clone(), sq = new double[3], buf = new double[3];
    for (double[] g0 : GRADS) {
      for (int i = 0; i < 3; i++) {
        double g = g0[i] + wd * p[i];
        sq[i] = rho * sq[i] + (1 - rho) * g * g;
        buf[i] = mu * buf[i] + g / (Math.sqrt(sq[i]) + eps);
        p[i] -= lr * buf[i];
      }
    }
    assertClose(run(new RMSProp(lr, rho, mu, eps, wd)), p);
  }

  @Test
  void adagradWithInitialAccumulatorAndWeightDecayFollowsPyTorch() {
    double lr = 0.1, acc0 = 0.1, eps = 1e-10, wd = 0.05;
    double[] p = START.clone(), s = {acc0, acc0, acc0};
    for (double[] g0 : GRADS) {
      for (int i = 0; i < 3; i++) {
        double g = g0[i] + wd * p[i];
        s[i] += g * g;
        p[i] -= lr * g / (Math.sqrt(s[i]) + eps);
      }
    }
    assertThat(OptimizerState.create(new Adagrad(lr, acc0, eps, wd), 4).slot(0)).containsOnly(0.1f);
    assertClose(run(new Adagrad(lr, acc0, eps, wd)), p);
  }

  @Test
  void adamWWithoutDecayIsAdamAndDecayIsDecoupled() {
    assertThat(run(new AdamW(0.01, 0))).containsExactly(run(new Adam(0.01)));
    // decoupled: AdamW's decay does not enter the moments, Adam's coupled decay does
    assertThat(run(new AdamW(0.01, 0.5))).isNotEqualTo(run(new Adam(0.01, 0.9, 0.999, 1e-8, 0.5)));
    float[] p = {2f};
    AdamW w = new AdamW(0.1, 0.9, 0.999, 1e-8, 0.5);
    Optimizers.step(w, OptimizerState.create(w, 1), p, new float[] {0f}, 0.1, new int[] {0, 1});
    assertThat(p[0]).isEqualTo(2f * (float) (1 - 0.1 * 0.5)); // zero gradient: only the decay acts
  }

  @Test
  void clippingUsesPyTorchsEpsilonAndOnlyTheRanges() {
    float[] g = {3e-6f, 99f, 4e-6f};
    double norm = GradientClipping.clipByGlobalNormInPlace(g, new int[] {0, 1, 2, 3}, 1e-6);
    assertThat(norm).isCloseTo(5e-6, within(1e-12));
    double c = 1e-6 / (5e-6 + 1e-6); // PyTorch: max_norm / (norm + 1e-6); plain max/norm would be 0.2
    assertThat((double) g[0]).isCloseTo(3e-6 * c, within(1e-12));
    assertThat((double) g[2]).isCloseTo(4e-6 * c, within(1e-12));
    assertThat(g[1]).isEqualTo(99f);

    float[] small = {0.3f, 0.4f};
    GradientClipping.clipByGlobalNormInPlace(small, new int[] {0, 2}, 1.0);
    assertThat(small).containsExactly(0.3f, 0.4f);
    assertThatThrownBy(() -> GradientClipping.clipByGlobalNormInPlace(small, new int[] {0, 2}, 0))
        .hasMessageContaining("maxNorm must be > 0");
  }

  @Test
  void stepsAllocateNothing() {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    int n = 1000;
    int[] ranges = {0, 400, 600, 1000};
    List<Optimizer> all = List.of(new SGD(0.1), new SGD(0.1, 0.9, true, 0.01), new SGD(0.1, 0.9, false, 0),
        new Adam(0.01), new AdamW(0.01, 0.01), new RMSProp(0.01), new RMSProp(0.01, 0.99, 0.9, 1e-8, 0.01),
        new Adagrad(0.01, 0.1, 1e-10, 0.01));
    for (Optimizer o : all) {
      float[] p = new float[n];
      float[] g = new float[n];
      Arrays.fill(g, 0.01f);
      OptimizerState s = OptimizerState.create(o, n);
      for (int k = 0; k < 200; k++) {
        GradientClipping.clipByGlobalNormInPlace(g, ranges, 0.1);
        Optimizers.step(o, s, p, g, 0.01, ranges);
      }
      long tid = Thread.currentThread().getId();
      long before = mx.getThreadAllocatedBytes(tid);
      for (int k = 0; k < 2000; k++) {
        GradientClipping.clipByGlobalNormInPlace(g, ranges, 0.1);
        Optimizers.step(o, s, p, g, 0.01, ranges);
      }
      long bytes = mx.getThreadAllocatedBytes(tid) - before;
      // a single object per step would be >= 16 bytes x 2000 steps
      assertThat(bytes).as("bytes allocated by 2000 steps of %s", o).isLessThan(16_000);
    }
  }

  @Test
  void stateMustMatchTheOptimizer() {
    OptimizerState sgdState = OptimizerState.create(new SGD(0.1), 3);
    assertThatThrownBy(() -> Optimizers.step(new Adam(0.01), sgdState, new float[3], new float[3], 0.01, ALL))
        .hasMessageContaining("0 slots").hasMessageContaining("needs 2");
    OptimizerState shortState = OptimizerState.create(new Adam(0.01), 2);
    assertThatThrownBy(() -> Optimizers.step(new Adam(0.01), shortState, new float[3], new float[3], 0.01, ALL))
        .hasMessageContaining("slot 0 has 2 values but the parameter vector has 3");
  }

  @Test
  void badSettingsNameOptimizerFieldAndRange() {
    assertThatThrownBy(() -> new Adam(0.01, 1.0, 0.999, 1e-8, 0))
        .hasMessage("adam: beta1 must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> new AdamW(0.01, 0.9, 0.999, 1e-8, -1))
        .hasMessage("adamw: weightDecay must be a finite number >= 0, got -1.0");
    assertThatThrownBy(() -> new RMSProp(0.01, 0.99, 0, 0, 0))
        .hasMessage("rmsprop: epsilon must be a finite number > 0, got 0.0");
    assertThatThrownBy(() -> new Adagrad(-0.1))
        .hasMessage("adagrad: learningRate must be a finite number > 0, got -0.1");
    assertThatThrownBy(() -> new SGD(0.1, 0, true, 0)).hasMessageContaining("sgd: nesterov needs a momentum");
    assertThatThrownBy(() -> new SGD(Double.NaN)).hasMessageContaining("sgd: learningRate");
  }
}
