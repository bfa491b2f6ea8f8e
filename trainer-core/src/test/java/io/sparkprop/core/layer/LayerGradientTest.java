package io.sparkprop.core.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.testing.GradientCheck;
import io.sparkprop.core.testing.GradientCheck.Tolerance;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of every layer's backward pass, parameters and inputs perturbed
 * (see {@link GradientCheck}: central differences with step 1e-2, pass when
 * |analytic − numeric| ≤ 1e-4 + 1e-2·max(|analytic|, |numeric|)). Each layer is checked alone
 * under MSE against random targets (so every output has its own weight in the loss) and inside a
 * small smooth stack. Inputs of kinked activations stay at least 0.1 away from the kink.
 */
class LayerGradientTest {
  private static final Tolerance TOL = Tolerance.FLOAT;
  private static final Loss MSE = new MeanSquaredError();

  /** n values uniform in ±[lo, hi] (random signs), so none is within lo of zero. */
  static float[] awayFromZero(int n, double lo, double hi, long seed) {
    Rng rng = new Rng(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      double m = lo + (hi - lo) * rng.nextDouble();
      v[i] = (float) (rng.nextDouble() < 0.5 ? -m : m);
    }
    return v;
  }

  /** n values uniform in [−a, a]. */
  static float[] uniform(int n, double a, long seed) {
    Rng rng = new Rng(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((2 * rng.nextDouble() - 1) * a);
    }
    return v;
  }

  /** Checks {@code arch} under MSE with random targets; params from initialParams, biases random. */
  static GradientCheck.Result checkWithMse(Sequential arch, float[] x, int batch, boolean training) {
    float[] p = arch.initialParams(11);
    float[] noise = uniform(p.length, 0.3, 12);
    for (int i = 0; i < p.length; i++) {
      p[i] += noise[i]; // non-zero biases too
    }
    int w = arch.outputShape().size();
    float[] y = uniform(batch * w, 1.0, 13);
    return GradientCheck.check(arch, MSE, p, x, y, w, batch, training, TOL);
  }

  @Test
  void denseWithBias() {
    Sequential arch = Sequential.of(Shape.of(4), new Dense(3));
    checkWithMse(arch, uniform(3 * 4, 1.0, 1), 3, true);
  }

  @Test
  void denseWithoutBias() {
    Sequential arch = Sequential.of(Shape.of(5), new Dense(2, false, null, null, null));
    assertThat(arch.paramCount()).isEqualTo(10);
    checkWithMse(arch, uniform(2 * 5, 1.0, 2), 2, true);
  }

  @Test
  void denseOnAnImageShapedInput() {
    Sequential arch = Sequential.of(Shape.of(2, 2, 3), new Dense(4));
    checkWithMse(arch, uniform(2 * 12, 1.0, 3), 2, false);
  }

  @Test
  void relu() {
    checkWithMse(Sequential.of(Shape.of(6), new ReLU()), awayFromZero(3 * 6, 0.1, 1.5, 4), 3, true);
  }

  @Test
  void leakyRelu() {
    checkWithMse(Sequential.of(Shape.of(6), new LeakyReLU(0.2)), awayFromZero(3 * 6, 0.1, 1.5, 5), 3, true);
  }

  @Test
  void elu() {
    checkWithMse(Sequential.of(Shape.of(6), new ELU()), awayFromZero(3 * 6, 0.1, 2.0, 6), 3, true);
    checkWithMse(Sequential.of(Shape.of(6), new ELU(0.5)), awayFromZero(3 * 6, 0.1, 2.0, 7), 3, true);
  }

  @Test
  void gelu() {
    checkWithMse(Sequential.of(Shape.of(6), new GELU()), uniform(3 * 6, 3.0, 8), 3, true);
  }

  @Test
  void sigmoid() {
    checkWithMse(Sequential.of(Shape.of(6), new Sigmoid()), uniform(3 * 6, 3.0, 9), 3, true);
  }

  @Test
  void tanh() {
    checkWithMse(Sequential.of(Shape.of(6), new Tanh()), uniform(3 * 6, 2.0, 10), 3, true);
  }

  @Test
  void softmaxLayer() {
    checkWithMse(Sequential.of(Shape.of(5), new Softmax()), uniform(3 * 5, 2.0, 11), 3, true);
  }

  @Test
  void flatten() {
    Sequential arch = Sequential.of(Shape.of(2, 3, 2), new Flatten());
    assertThat(arch.outputShape()).isEqualTo(Shape.of(12));
    checkWithMse(arch, uniform(2 * 12, 1.0, 12), 2, true);
  }

  @Test
  void dropoutTrainingModeWithAFixedMask() {
    Sequential arch = Sequential.of(Shape.of(20), new Dropout(0.4));
    float[] x = uniform(3 * 20, 1.0, 13);
    GradientCheck.Result r = checkWithMse(arch, x, 3, true);
    assertThat(r.compared()).isEqualTo(60);
    // the mask really drops and scales: some outputs are 0, the others x / 0.6
    Network net = arch.network();
    float[] out = net.forward(new float[0], x, 3, true, GradientCheck.SEED).clone();
    int dropped = 0;
    for (int i = 0; i < x.length; i++) {
      if (out[i] == 0f) {
        dropped++;
      } else {
        assertThat(out[i]).isCloseTo(x[i] / 0.6f, org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
    assertThat(dropped).isBetween(10, 40);
    assertThat(net.forward(new float[0], x, 3, true, GradientCheck.SEED)).startsWith(out);
    assertThat(net.forward(new float[0], x, 3, false, GradientCheck.SEED)).startsWith(x);
  }

  @Test
  void dropoutInferenceModeIsTheIdentity() {
    checkWithMse(Sequential.of(Shape.of(8), new Dropout(0.5)), uniform(2 * 8, 1.0, 14), 2, false);
  }

  @Test
  void smoothStackOfEveryKind() {
    Sequential arch = Sequential.of(Shape.of(1, 2, 3), new Flatten(), new Dense(5), new Tanh(), new Dropout(0.3),
        new Dense(4), new GELU(), new Dense(4, false, null, null, null), new Sigmoid(), new Dense(3), new ELU(),
        new Dense(3), new Softmax());
    checkWithMse(arch, uniform(4 * 6, 1.5, 15), 4, true);
  }
}
