package io.sparkprop.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The L1/L2 penalty {@code l1·Σ|w| + l2·Σw²}: its value exactly, and its gradient against central
 * differences of the penalty (step 1e-3 on weights at least 0.05 away from the L1 kink at 0,
 * penalty in double: pass when |analytic − numeric| ≤ 1e-5 + 1e-3·|numeric|).
 */
class RegularizerTest {

  private static final float[] W = {0.5f, -0.25f, 1.5f, -2f, 0.05f, -0.75f, 3f};

  private static void check(Regularizer r) {
    float[] w = W.clone();
    float[] g = new float[w.length + 2];
    for (int i = 0; i < g.length; i++) {
      g[i] = 10f; // the gradient is added, and only inside [from, to)
    }
    double penalty = r.applyInPlace(w, g, 1, 6);
    double expected = 0;
    for (int i = 1; i < 6; i++) {
      expected += r.l1() * Math.abs(W[i]) + r.l2() * (double) W[i] * W[i];
    }
    assertThat(penalty).isCloseTo(expected, within(1e-12));
    assertThat(g[0]).isEqualTo(10f);
    assertThat(g[6]).isEqualTo(10f);
    assertThat(g[7]).isEqualTo(10f);
    assertThat(w).containsExactly(W);
    for (int i = 1; i < 6; i++) {
      float h = 1e-3f;
      float[] plus = W.clone();
      float[] minus = W.clone();
      plus[i] += h;
      minus[i] -= h;
      double numeric = (r.applyInPlace(plus, new float[W.length], 1, 6) - r.applyInPlace(minus, new float[W.length], 1, 6))
          / ((double) plus[i] - minus[i]);
      double analytic = g[i] - 10.0;
      assertThat(analytic).as("weight %d of %s", i, r).isCloseTo(numeric, within(1e-5 + 1e-3 * Math.abs(numeric)));
    }
  }

  @Test
  void l1Gradient() {
    check(new Regularizer(0.01, 0));
  }

  @Test
  void l2Gradient() {
    check(new Regularizer(0, 0.02));
  }

  @Test
  void bothTogether() {
    check(new Regularizer(0.3, 0.7));
  }

  @Test
  void denseCarriesItsRegularizerAndOthersHaveNone() {
    Regularizer r = new Regularizer(1e-4, 1e-3);
    assertThat(new Dense(4).withRegularizer(r).regularizer()).isEqualTo(r);
    assertThat(new Dense(4).regularizer().isNone()).isTrue();
    assertThat(new ReLU().regularizer()).isEqualTo(Regularizer.NONE);
    assertThatThrownBy(() -> new Regularizer(-1, 0)).hasMessageContaining("l1 and l2 must be >= 0");
  }
}
