package io.sparkprop.core.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.testing.GradientCheck;
import io.sparkprop.core.testing.GradientCheck.Tolerance;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks ({@link GradientCheck}) of the attention and sequence-pooling layers,
 * each without lengths and with padded samples (padded inputs must get exactly zero gradient:
 * the numeric difference there is zero). Parameters are the initial ones plus uniform noise
 * (so biases and γ, β are not trivial); targets are uniform in [-1, 1] under MSE.
 */
class SequenceLayerGradientTest {
  private static final Tolerance TOL = Tolerance.FLOAT;
  /** Smaller step where a ReLU or a max can be straddled. */
  private static final Tolerance KINKED = new Tolerance(1e-3, 1e-2, 5e-4);
  private static final int[] PADDED = {4, 2, 3};

  private static GradientCheck.Result check(Sequential arch, int batch, int[] lengths, boolean training,
                                            Tolerance tol) {
    float[] p = arch.initialParams(21);
    float[] noise = LayerGradientTest.uniform(p.length, 0.3, 22);
    for (int i = 0; i < p.length; i++) {
      p[i] += noise[i];
    }
    float[] x = LayerGradientTest.uniform(batch * arch.inputShape().size(), 1.0, 23);
    int w = arch.outputShape().size();
    float[] y = LayerGradientTest.uniform(batch * w, 1.0, 24);
    return GradientCheck.check(arch, new MeanSquaredError(), p, x, lengths, y, w, batch, training, tol);
  }

  private static void both(Sequential arch, boolean training, Tolerance tol) {
    check(arch, 3, null, training, tol);
    check(arch, 3, PADDED, training, tol);
  }

  @Test
  void layerNormalization() {
    both(Sequential.of(Shape.of(4, 5), new LayerNormalization()), true, TOL);
    check(Sequential.of(Shape.of(6), new LayerNormalization(1e-3)), 3, null, true, TOL);
  }

  @Test
  void multiHeadAttention() {
    both(Sequential.of(Shape.of(4, 6), new MultiHeadAttention(2)), true, TOL);
    both(Sequential.of(Shape.of(4, 4), new MultiHeadAttention(1)), false, TOL);
  }

  @Test
  void transformerEncoderPostNormRelu() {
    both(Sequential.of(Shape.of(4, 4), new TransformerEncoder(2, 6, 0.0, "relu", false, 1e-5)), true, KINKED);
  }

  @Test
  void transformerEncoderPreNormGeluWithDropout() {
    both(Sequential.of(Shape.of(4, 4), new TransformerEncoder(2, 6, 0.3, "gelu", true, 1e-5)), true, TOL);
    both(Sequential.of(Shape.of(4, 4), new TransformerEncoder(2, 6, 0.3, "gelu", false, 1e-5)), true, TOL);
  }

  @Test
  void positionalEmbedding() {
    both(Sequential.of(Shape.of(4, 3), new PositionalEmbedding(6)), true, TOL);
  }

  @Test
  void globalPooling() {
    both(Sequential.of(Shape.of(4, 3), new GlobalAveragePooling1D()), true, TOL);
    both(Sequential.of(Shape.of(4, 3), new GlobalMaxPooling1D()), true, KINKED);
  }

  @Test
  void timeDistributed() {
    both(Sequential.of(Shape.of(4, 3), new TimeDistributed(new Dense(5))), true, TOL);
    both(Sequential.of(Shape.of(4, 3), new TimeDistributed(new Dense(2)), new TimeDistributed(new Tanh())),
        true, TOL);
    assertThat(new TimeDistributed(new Dense(5)).outputShape(Shape.of(4, 3))).isEqualTo(Shape.of(4, 5));
  }

  /** Two encoders deep the curvature needs the smaller step (1e-2 misses by 1-3% on a few inputs). */
  @Test
  void textClassifierStack() {
    Sequential arch = Sequential.of(Shape.of(5, 4), new PositionalEmbedding(8),
        new TransformerEncoder(2, 8, 0.2, "gelu", false, 1e-5), new TransformerEncoder(2, 8, 0.0, "gelu", true, 1e-5),
        new LayerNormalization(), new GlobalAveragePooling1D(), new Dense(3));
    float[] p = arch.initialParams(5);
    float[] x = LayerGradientTest.uniform(3 * 20, 1.0, 6);
    float[] y = {0, 2, 1};
    GradientCheck.check(arch, new SoftmaxCrossEntropy(), p, x, new int[] {5, 1, 3}, y, 1, 3, true, KINKED);
  }

  /** Padding really is invisible: a padded sample's output ignores what its padded steps hold. */
  @Test
  void paddedStepsDoNotChangeTheOutput() {
    Sequential arch = Sequential.of(Shape.of(5, 4), new PositionalEmbedding(5),
        new TransformerEncoder(2, 8, 0.0, "relu", false, 1e-5), new GlobalMaxPooling1D(), new Dense(2));
    float[] p = arch.initialParams(8);
    float[] x = LayerGradientTest.uniform(2 * 20, 1.0, 9);
    Network net = arch.network();
    int[] lengths = {5, 2};
    float[] a = net.forward(p, x, null, lengths, 2, false, 0L).clone();
    for (int i = 2 * 4; i < 5 * 4; i++) {
      x[20 + i] = 100f + i;
    }
    float[] b = net.forward(p, x, null, lengths, 2, false, 0L);
    assertThat(java.util.Arrays.copyOf(b, 4)).containsExactly(java.util.Arrays.copyOf(a, 4));
    // the short sample alone, unpadded, gives the same output up to rounding
    Sequential shortArch = new Sequential(Shape.of(2, 4), arch.layers());
    float[] alone = shortArch.network().forward(p, java.util.Arrays.copyOfRange(x, 20, 28), 1, false, 0L);
    for (int j = 0; j < 2; j++) {
      assertThat(alone[j]).isCloseTo(a[2 + j], org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  /** Steady-state training passes of the attention layers allocate nothing (workspaces only grow). */
  @Test
  void trainingStepsAllocateNothing() {
    Sequential arch = Sequential.of(Shape.of(6, 8), new PositionalEmbedding(6),
        new TransformerEncoder(2, 16, 0.1, "gelu", false, 1e-5), new TransformerEncoder(2, 16, 0.1, "relu", true, 1e-5),
        new TimeDistributed(new Dense(8)), new LayerNormalization(), new MultiHeadAttention(4),
        new GlobalMaxPooling1D(), new Dense(2));
    Network net = arch.network();
    float[] p = arch.initialParams(1);
    float[] g = new float[p.length];
    float[] x = LayerGradientTest.uniform(4 * 48, 1.0, 2);
    float[] dOut = LayerGradientTest.uniform(4 * 2, 1.0, 3);
    float[] dx = new float[x.length];
    int[] lengths = {6, 2, 4, 1};
    for (int k = 0; k < 50; k++) {
      net.forward(p, x, null, lengths, 4, true, k);
      net.backward(p, dOut, g, dx, 4, true);
    }
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    for (int k = 0; k < 500; k++) {
      net.forward(p, x, null, lengths, 4, true, k);
      net.backward(p, dOut, g, dx, 4, true);
    }
    long bytes = mx.getThreadAllocatedBytes(tid) - before;
    // one object per step would be >= 16 bytes x 500 steps
    assertThat(bytes).as("bytes allocated by 500 training passes").isLessThan(8_000);
  }
}
