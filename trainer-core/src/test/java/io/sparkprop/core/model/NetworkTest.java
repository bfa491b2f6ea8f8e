package io.sparkprop.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.layer.Tanh;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Network workspaces, trainBatch/evaluateBatch bookkeeping and Model's batched prediction. */
class NetworkTest {
  private static final int IN = 6;
  private static final int CLASSES = 4;

  static Sequential arch(double dropout) {
    return Sequential.of(Shape.of(IN), new Dense(10), new Tanh(), new Dropout(dropout), new Dense(8), new ReLU(),
        new Dense(CLASSES));
  }

  static float[] uniform(int n, long seed) {
    Rng rng = new Rng(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (2 * rng.nextDouble() - 1);
    }
    return v;
  }

  static float[] classes(int n, long seed) {
    Rng rng = new Rng(seed);
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(CLASSES);
    }
    return y;
  }

  @Test
  void workspacesFollowTheBatchSize() {
    Sequential a = arch(0);
    float[] p = a.initialParams(1);
    float[] x = uniform(8 * IN, 2);
    Network big = a.network();
    float[] all = big.forward(p, x, 8, false, 0).clone();
    Network net = a.network();
    for (int batch : new int[] {3, 8, 1, 5}) {
      float[] out = net.forward(p, Arrays.copyOf(x, batch * IN), batch, false, 0);
      for (int i = 0; i < batch * CLASSES; i++) {
        assertThat(out[i]).as("batch %d output %d", batch, i).isCloseTo(all[i], within(1e-6f));
      }
    }
  }

  @Test
  void trainBatchIsForwardLossBackward() {
    Sequential a = arch(0.3);
    float[] p = a.initialParams(3);
    float[] x = uniform(5 * IN, 4);
    float[] y = classes(5, 5);
    SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    Network net = a.network();
    float[] grads = new float[p.length];
    Arrays.fill(grads, 0.25f);
    LossSums s = net.trainBatch(p, x, y, 1, 5, loss, 42L, grads);

    Network ref = a.network();
    float[] out = ref.forward(p, x, 5, true, 42L).clone();
    float[] dOut = new float[out.length];
    double l = loss.lossAndGradient(out, y, 5, CLASSES, 1, dOut);
    float[] g = new float[p.length];
    ref.backward(p, dOut, g, null, 5, true);
    assertThat(s.lossSum()).isEqualTo(l);
    assertThat(s.count()).isEqualTo(5);
    assertThat(s.correct()).isEqualTo(loss.countCorrect(out, y, 5, CLASSES, 1));
    for (int i = 0; i < p.length; i++) {
      assertThat(grads[i]).isCloseTo(0.25f + g[i], within(1e-6f));
    }
    // another seed, another dropout mask, another loss
    assertThat(net.trainBatch(p, x, y, 1, 5, loss, 43L, new float[p.length]).lossSum()).isNotEqualTo(l);
  }

  @Test
  void evaluateBatchRunsWithoutDropout() {
    Sequential a = arch(0.5);
    float[] p = a.initialParams(6);
    float[] x = uniform(4 * IN, 7);
    float[] y = classes(4, 8);
    SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    Network net = a.network();
    LossSums e = net.evaluateBatch(p, x, y, 1, 4, loss);
    float[] out = Sequential.of(Shape.of(IN), new Dense(10), new Tanh(), new Dense(8), new ReLU(), new Dense(CLASSES))
        .network().predict(p, x, null, null, 4); // the same network without its dropout layer
    assertThat(e.lossSum()).isCloseTo(loss.lossAndGradient(out, y, 4, CLASSES, 1, null), within(1e-12));
    assertThat(e.count()).isEqualTo(4);
  }

  @Test
  void modelPredictsInChunksAndActivates() {
    Sequential a = arch(0.2);
    Model m = Model.init(a, new SoftmaxCrossEntropy(), 9);
    int n = 1100; // more than two prediction chunks
    float[] x = uniform(n * IN, 10);
    float[] raw = m.predictRaw(x, n);
    // chunks of 512 through the row-stable kernel: the bits of one inference pass over all rows,
    // and within float rounding of the BLAS forward pass that training uses
    float[] stable = a.network().predict(m.params(), x, null, null, n);
    float[] all = a.network().forward(m.params(), x, n, false, 0);
    for (int i = 0; i < n * CLASSES; i++) {
      assertThat(Float.floatToIntBits(raw[i])).as("output %d", i).isEqualTo(Float.floatToIntBits(stable[i]));
      assertThat(raw[i]).as("output %d", i).isCloseTo(all[i], within(1e-6f));
    }
    float[] probs = m.predict(x, n);
    int[] cls = m.predictClasses(x, n);
    for (int r = 0; r < n; r++) {
      double sum = 0;
      for (int j = 0; j < CLASSES; j++) {
        sum += probs[r * CLASSES + j];
      }
      assertThat(sum).isCloseTo(1.0, within(1e-6));
      assertThat(cls[r]).isEqualTo(SoftmaxCrossEntropy.argmax(raw, r * CLASSES, CLASSES));
    }
    float[] y = classes(n, 11);
    LossSums e = m.evaluate(new DataSet(Shape.of(IN), 1, n, x, y));
    assertThat(e.count()).isEqualTo(n);
    assertThat(e.lossSum()).isCloseTo(new SoftmaxCrossEntropy().lossAndGradient(raw, y, n, CLASSES, 1, null),
        within(1e-9));
  }
}
