package io.sparkprop.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.SGD;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.testing.Golden;
import io.sparkprop.core.testing.GradientCheck.Tolerance;
import org.junit.jupiter.api.Test;

class BatchNormalizationTest {

  private static float[] withGammaBeta(Sequential arch, long seed) {
    float[] p = arch.initialParams(seed);
    ParamLayout l = arch.layout();
    int c = l.ofLayer(0).get(0).spec().size();
    float[] r = CnnTesting.uniform(4 * c, seed + 1);
    for (int i = 0; i < c; i++) {
      p[l.offset(0, "gamma") + i] = 1f + 0.5f * r[i];
      p[l.offset(0, "beta") + i] = r[c + i];
      p[l.offset(0, "running_mean") + i] = 0.3f * r[2 * c + i];
      p[l.offset(0, "running_var") + i] = 1f + 0.5f * r[3 * c + i];
    }
    return p;
  }

  @Test
  void gradientsMatchFiniteDifferencesForDenseAndConvInputs() {
    Shape[] inputs = {Shape.of(4), Shape.of(3, 2, 3), Shape.of(2, 5)};
    for (Shape in : inputs) {
      Sequential arch = Sequential.of(in, new BatchNormalization());
      for (boolean training : new boolean[] {true, false}) {
        int batch = 5;
        float[] p = withGammaBeta(arch, 3);
        float[] x = CnnTesting.uniform(batch * in.size(), 17);
        CnnTesting.check(arch, p, x, batch, training, new Tolerance(1e-2, 5e-3, 2e-4));
      }
    }
  }

  @Test
  void matchesGoldenBatchNorm1d() {
    Golden g = Golden.load("batchnorm1d");
    assertThat(g.node("eps").asDouble()).isEqualTo(BatchNormalization.DEFAULT_EPSILON);
    assertThat(g.node("momentum_torch").asDouble()).isEqualTo(BatchNormalization.DEFAULT_MOMENTUM);
    int[] s = g.tensor("input").shape();
    int batch = s[0];
    int c = s[1];
    Sequential arch = Sequential.of(Shape.of(c), new BatchNormalization());
    ParamLayout l = arch.layout();
    float[] p = arch.initialParams(1);
    System.arraycopy(g.tensor("gamma").floats(), 0, p, l.offset(0, "gamma"), c);
    System.arraycopy(g.tensor("beta").floats(), 0, p, l.offset(0, "beta"), c);
    Network net = arch.network();
    float[] y = net.forward(p, g.tensor("input").floats(), batch, true, 0L);
    CnnTesting.assertClose("train output", y, 0, 1, CnnTesting.values(g.node("expected_train_output")), 1e-5);
    float[] grads = new float[p.length];
    float[] dx = new float[batch * c];
    net.backward(p, g.tensor("upstream_gradient").floats(), grads, dx, batch, true);
    CnnTesting.assertClose("input gradient", dx, 0, 1, CnnTesting.values(g.node("expected_input_gradient")), 1e-5);
    CnnTesting.assertClose("gamma gradient", grads, l.offset(0, "gamma"), 1,
        CnnTesting.values(g.node("expected_gamma_gradient")), 1e-5);
    CnnTesting.assertClose("beta gradient", grads, l.offset(0, "beta"), 1,
        CnnTesting.values(g.node("expected_beta_gradient")), 1e-5);

    // The trainer's state convention: slot/batch is the statistic, state = 0.9·state + 0.1·statistic.
    float m = (float) BatchNormalization.DEFAULT_MOMENTUM;
    for (String t : new String[] {"running_mean", "running_var"}) {
      int o = l.offset(0, t);
      for (int i = 0; i < c; i++) {
        p[o + i] = (1 - m) * p[o + i] + m * (grads[o + i] / batch);
      }
    }
    CnnTesting.assertClose("running mean", p, l.offset(0, "running_mean"), 1,
        CnnTesting.values(g.node("expected_running_mean")), 1e-5);
    CnnTesting.assertClose("running var", p, l.offset(0, "running_var"), 1,
        CnnTesting.values(g.node("expected_running_var")), 1e-5);

    int[] e = g.tensor("eval_input").shape();
    float[] eval = net.forward(p, g.tensor("eval_input").floats(), e[0], false, 0L);
    CnnTesting.assertClose("eval output", eval, 0, 1, CnnTesting.values(g.node("expected_eval_output")), 1e-5);
  }

  @Test
  void trainerUpdatesRunningStatisticsAsGolden() {
    Golden g = Golden.load("batchnorm1d");
    int[] s = g.tensor("input").shape();
    Sequential arch = Sequential.of(Shape.of(s[1]), new BatchNormalization());
    Model model = Model.init(arch, new MeanSquaredError(), 1);
    DataSet data = new DataSet(Shape.of(s[1]), s[1], s[0], g.tensor("input").floats(), new float[s[0] * s[1]]);
    // One epoch of one step over all six samples: the state update sees the batch statistics.
    TrainingConfig cfg = TrainingConfig.DEFAULTS.withOptimizer(new SGD(0.01)).withEpochs(1).withBatchSize(s[0]);
    new Trainer(cfg).fit(model, data, null);
    ParamLayout l = arch.layout();
    CnnTesting.assertClose("running mean", model.params(), l.offset(0, "running_mean"), 1,
        CnnTesting.values(g.node("expected_running_mean")), 1e-5);
    CnnTesting.assertClose("running var", model.params(), l.offset(0, "running_var"), 1,
        CnnTesting.values(g.node("expected_running_var")), 1e-5);
  }

  @Test
  void partitionsCombineAsTheSampleWeightedMeanOfTheirBatchStatistics() {
    // Conv input (2, 3, 1): statistics per channel over batch·3 values. Partitions of 2 and 5 samples.
    Shape in = Shape.of(2, 3, 1);
    Sequential arch = Sequential.of(in, new BatchNormalization());
    ParamLayout l = arch.layout();
    float[] p = arch.initialParams(1);
    int[] sizes = {2, 5};
    float[][] parts = {CnnTesting.uniform(2 * 6, 1), CnnTesting.uniform(5 * 6, 2)};
    float[] slots = new float[p.length];
    double[][] mean = new double[2][2];
    double[][] var = new double[2][2];
    for (int k = 0; k < 2; k++) {
      Network net = arch.network();
      net.forward(p, parts[k], sizes[k], true, 0L);
      net.backward(p, new float[sizes[k] * 6], slots, null, sizes[k], true);
      for (int c = 0; c < 2; c++) {
        double sum = 0;
        double sq = 0;
        int n = sizes[k] * 3;
        for (int b = 0; b < sizes[k]; b++) {
          for (int q = 0; q < 3; q++) {
            sum += parts[k][b * 6 + c * 3 + q];
          }
        }
        mean[k][c] = sum / n;
        for (int b = 0; b < sizes[k]; b++) {
          for (int q = 0; q < 3; q++) {
            double d = parts[k][b * 6 + c * 3 + q] - mean[k][c];
            sq += d * d;
          }
        }
        var[k][c] = sq / (n - 1);
      }
    }
    for (int c = 0; c < 2; c++) {
      double m = (2 * mean[0][c] + 5 * mean[1][c]) / 7;
      double v = (2 * var[0][c] + 5 * var[1][c]) / 7;
      assertThat((double) slots[l.offset(0, "running_mean") + c] / 7).isCloseTo(m, org.assertj.core.data.Offset.offset(1e-6));
      assertThat((double) slots[l.offset(0, "running_var") + c] / 7).isCloseTo(v, org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void tensorsSummaryAndErrors() {
    Sequential arch = Sequential.of(Shape.of(6, 4, 4), new BatchNormalization());
    ParamLayout l = arch.layout();
    assertThat(l.entries()).extracting(e -> e.spec().name())
        .containsExactly("gamma", "beta", "running_mean", "running_var");
    assertThat(l.trainableSize()).isEqualTo(12);
    assertThat(l.stateRanges()).containsExactly(12, 18, 18, 24);
    assertThat(l.entries().get(2).spec().stateMomentum()).isEqualTo(0.1);
    float[] p = arch.initialParams(5);
    assertThat(java.util.Arrays.copyOfRange(p, 0, 24)).containsExactly(
        1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1);
    assertThat(arch.summary()).contains("Non-trainable params: 12");
    assertThatThrownBy(() -> new BatchNormalization(0.99 + 0.02, 1e-5)).hasMessageContaining("momentum");
    assertThatThrownBy(() -> new BatchNormalization(0.1, 0)).hasMessageContaining("epsilon");
  }
}
