package io.sparkprop.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Flatten;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.testing.GradientCheck;
import io.sparkprop.core.testing.GradientCheck.Tolerance;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of every loss (step 1e-2, pass when |analytic − numeric| ≤
 * 1e-4 + 1e-2·max(|analytic|, |numeric|), see {@link GradientCheck}). Each loss is checked on
 * raw outputs through an identity network (Flatten), where the input gradient IS the loss
 * gradient, and behind a Dense layer (parameters perturbed too). Values are checked against the
 * formulas: the loss is the SUM over samples of the per-sample mean over outputs.
 */
class LossGradientTest {
  private static final Tolerance TOL = Tolerance.FLOAT;
  private static final int BATCH = 4;
  private static final int WIDTH = 5;

  static float[] uniform(int n, double lo, double hi, long seed) {
    Rng rng = new Rng(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (lo + (hi - lo) * rng.nextDouble());
    }
    return v;
  }

  /** Checks the loss on raw outputs z (identity network) and behind Dense(WIDTH) on inputs z. */
  static void checkBoth(Loss loss, float[] z, float[] labels, int labelWidth) {
    Sequential identity = Sequential.of(Shape.of(WIDTH), new Flatten());
    GradientCheck.check(identity, loss, new float[0], z, labels, labelWidth, BATCH, false, TOL);
    Sequential dense = Sequential.of(Shape.of(WIDTH), new Dense(WIDTH));
    float[] p = dense.initialParams(3);
    float[] bias = uniform(WIDTH, -0.2, 0.2, 4);
    System.arraycopy(bias, 0, p, WIDTH * WIDTH, WIDTH);
    GradientCheck.check(dense, loss, p, z, labels, labelWidth, BATCH, true, TOL);
  }

  @Test
  void softmaxCrossEntropyWithIntegerLabels() {
    float[] z = uniform(BATCH * WIDTH, -3, 3, 1);
    float[] labels = {1, 0, 4, 2};
    checkBoth(new SoftmaxCrossEntropy(), z, labels, 1);
    // value: Σ_rows lse(z) − z_label
    double expected = 0;
    for (int r = 0; r < BATCH; r++) {
      double s = 0;
      for (int j = 0; j < WIDTH; j++) {
        s += Math.exp(z[r * WIDTH + j]);
      }
      expected += Math.log(s) - z[r * WIDTH + (int) labels[r]];
    }
    assertThat(new SoftmaxCrossEntropy().lossAndGradient(z, labels, BATCH, WIDTH, 1, null))
        .isCloseTo(expected, within(1e-9 * BATCH * WIDTH));
  }

  @Test
  void softmaxCrossEntropyWithOneHotAndSoftLabels() {
    float[] z = uniform(BATCH * WIDTH, -3, 3, 2);
    float[] oneHot = new float[BATCH * WIDTH];
    int[] classes = {1, 0, 4, 2};
    for (int r = 0; r < BATCH; r++) {
      oneHot[r * WIDTH + classes[r]] = 1f;
    }
    checkBoth(new SoftmaxCrossEntropy(), z, oneHot, WIDTH);
    // one-hot rows give the same loss and gradient as integer labels
    float[] gInt = new float[z.length];
    float[] gHot = new float[z.length];
    double lInt = new SoftmaxCrossEntropy().lossAndGradient(z, new float[] {1, 0, 4, 2}, BATCH, WIDTH, 1, gInt);
    double lHot = new SoftmaxCrossEntropy().lossAndGradient(z, oneHot, BATCH, WIDTH, WIDTH, gHot);
    assertThat(lHot).isCloseTo(lInt, within(1e-9));
    for (int i = 0; i < z.length; i++) {
      assertThat(gHot[i]).isCloseTo(gInt[i], within(1e-6f));
    }
    // soft labels (label smoothing), one row with total mass 0.7
    float[] soft = uniform(BATCH * WIDTH, 0, 1, 3);
    for (int r = 0; r < BATCH; r++) {
      double s = 0;
      for (int j = 0; j < WIDTH; j++) {
        s += soft[r * WIDTH + j];
      }
      double mass = r == 2 ? 0.7 : 1.0;
      for (int j = 0; j < WIDTH; j++) {
        soft[r * WIDTH + j] = (float) (soft[r * WIDTH + j] * mass / s);
      }
    }
    checkBoth(new SoftmaxCrossEntropy(), z, soft, WIDTH);
  }

  @Test
  void sigmoidBinaryCrossEntropy() {
    float[] z = uniform(BATCH * WIDTH, -4, 4, 5);
    float[] t = new float[BATCH * WIDTH];
    float[] probs = uniform(BATCH * WIDTH, 0, 1, 6);
    for (int i = 0; i < t.length; i++) {
      t[i] = probs[i] < 0.5f ? 0f : 1f;
    }
    checkBoth(new SigmoidBinaryCrossEntropy(), z, t, WIDTH);
    checkBoth(new SigmoidBinaryCrossEntropy(), z, probs, WIDTH);
    // value: Σ_rows mean_j −[t log σ(z) + (1 − t) log(1 − σ(z))]
    double expected = 0;
    for (int i = 0; i < z.length; i++) {
      double s = 1 / (1 + Math.exp(-z[i]));
      expected -= (probs[i] * Math.log(s) + (1.0 - probs[i]) * Math.log(1 - s)) / WIDTH;
    }
    assertThat(new SigmoidBinaryCrossEntropy().lossAndGradient(z, probs, BATCH, WIDTH, WIDTH, null))
        .isCloseTo(expected, within(1e-9));
    // stable at extreme logits
    float[] big = {80f, -80f};
    assertThat(new SigmoidBinaryCrossEntropy().lossAndGradient(big, new float[] {0f, 1f}, 1, 2, 2, null))
        .isCloseTo(80.0, within(1e-9));
  }

  /** Targets y = z − d with residuals d drawn from ±[lo, hi]. */
  static float[] targetsWithResiduals(float[] z, double lo, double hi, long seed) {
    float[] d = uniform(z.length, lo, hi, seed);
    float[] sign = uniform(z.length, 0, 1, seed + 100);
    float[] y = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      y[i] = z[i] - (sign[i] < 0.5f ? -d[i] : d[i]);
    }
    return y;
  }

  @Test
  void meanSquaredError() {
    float[] z = uniform(BATCH * WIDTH, -2, 2, 7);
    float[] y = uniform(BATCH * WIDTH, -2, 2, 8);
    checkBoth(new MeanSquaredError(), z, y, WIDTH);
    double expected = 0;
    for (int i = 0; i < z.length; i++) {
      expected += ((double) z[i] - y[i]) * ((double) z[i] - y[i]) / WIDTH;
    }
    assertThat(new MeanSquaredError().lossAndGradient(z, y, BATCH, WIDTH, WIDTH, null))
        .isCloseTo(expected, within(1e-9));
  }

  @Test
  void meanAbsoluteErrorAwayFromZeroResiduals() {
    float[] z = uniform(BATCH * WIDTH, -2, 2, 9);
    // the Dense layer moves outputs by about step·|x|·WIDTH: keep residuals well away from 0
    float[] y = targetsWithResiduals(z, 0.3, 1.5, 10);
    Sequential identity = Sequential.of(Shape.of(WIDTH), new Flatten());
    GradientCheck.check(identity, new MeanAbsoluteError(), new float[0], z, y, WIDTH, BATCH, false, TOL);
    double expected = 0;
    for (int i = 0; i < z.length; i++) {
      expected += Math.abs((double) z[i] - y[i]) / WIDTH;
    }
    float[] g = new float[z.length];
    assertThat(new MeanAbsoluteError().lossAndGradient(z, y, BATCH, WIDTH, WIDTH, g))
        .isCloseTo(expected, within(1e-9));
    for (int i = 0; i < z.length; i++) {
      assertThat(g[i]).isEqualTo(Math.signum(z[i] - y[i]) / WIDTH);
    }
  }

  @Test
  void huberInBothRegions() {
    float[] z = uniform(BATCH * WIDTH, -2, 2, 11);
    Sequential identity = Sequential.of(Shape.of(WIDTH), new Flatten());
    for (double delta : new double[] {1.0, 0.5}) {
      Huber huber = new Huber(delta);
      float[] quadratic = targetsWithResiduals(z, 0.05 * delta, 0.8 * delta, 12);
      float[] linear = targetsWithResiduals(z, 1.3 * delta, 3 * delta, 13);
      GradientCheck.check(identity, huber, new float[0], z, quadratic, WIDTH, BATCH, false, TOL);
      GradientCheck.check(identity, huber, new float[0], z, linear, WIDTH, BATCH, false, TOL);
      checkBoth(huber, z, uniform(BATCH * WIDTH, -2, 2, 14), WIDTH);
      // values: d²/2 inside, delta·(|d| − delta/2) outside, mean over outputs
      double q = 0;
      double l = 0;
      for (int i = 0; i < z.length; i++) {
        double dq = (double) z[i] - quadratic[i];
        double dl = (double) z[i] - linear[i];
        q += 0.5 * dq * dq / WIDTH;
        l += delta * (Math.abs(dl) - delta / 2) / WIDTH;
      }
      assertThat(huber.lossAndGradient(z, quadratic, BATCH, WIDTH, WIDTH, null)).isCloseTo(q, within(1e-9));
      assertThat(huber.lossAndGradient(z, linear, BATCH, WIDTH, WIDTH, null)).isCloseTo(l, within(1e-9));
    }
  }

  @Test
  void lossIsTheSumOfPerSampleLosses() {
    float[] z = uniform(2 * WIDTH, -2, 2, 15);
    float[] y = uniform(2 * WIDTH, -2, 2, 16);
    Loss[] losses = {new MeanSquaredError(), new MeanAbsoluteError(), new Huber(), new SigmoidBinaryCrossEntropy()};
    for (Loss loss : losses) {
      float[] yy = loss instanceof SigmoidBinaryCrossEntropy ? uniform(2 * WIDTH, 0, 1, 17) : y;
      double both = loss.lossAndGradient(z, yy, 2, WIDTH, WIDTH, null);
      double first = loss.lossAndGradient(java.util.Arrays.copyOfRange(z, 0, WIDTH),
          java.util.Arrays.copyOfRange(yy, 0, WIDTH), 1, WIDTH, WIDTH, null);
      double second = loss.lossAndGradient(java.util.Arrays.copyOfRange(z, WIDTH, 2 * WIDTH),
          java.util.Arrays.copyOfRange(yy, WIDTH, 2 * WIDTH), 1, WIDTH, WIDTH, null);
      assertThat(both).as(loss.toString()).isCloseTo(first + second, within(1e-12));
    }
  }
}
