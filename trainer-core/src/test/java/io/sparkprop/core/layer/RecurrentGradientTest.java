package io.sparkprop.core.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.testing.GradientCheck;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finite-difference checks of every recurrent layer, alone and wrapped in Bidirectional, with
 * all steps real and with padding; and the masking contract: what lies in padded steps changes
 * neither outputs nor gradients.
 */
class RecurrentGradientTest {
  private static final int BATCH = 3;
  private static final int STEPS = 4;
  private static final int IN = 3;

  static Layer layer(String kind, boolean sequences, boolean bidirectional) {
    Layer l = RecurrentGoldenTest.layer(kind, 3, sequences);
    return bidirectional ? new Bidirectional(l) : l;
  }

  static float[] params(Sequential arch) {
    float[] p = arch.initialParams(5);
    float[] noise = LayerGradientTest.uniform(p.length, 0.3, 6);
    for (int i = 0; i < p.length; i++) {
      p[i] += noise[i];
    }
    return p;
  }

  @ParameterizedTest
  @CsvSource({"rnn,true,false", "rnn,false,false", "lstm,true,false", "lstm,false,false", "gru,true,false",
      "gru,false,false", "rnn,true,true", "lstm,false,true", "gru,true,true", "lstm,true,true"})
  void gradientsMatchFiniteDifferences(String kind, boolean sequences, boolean bidirectional) {
    Sequential arch = Sequential.of(Shape.of(STEPS, IN), layer(kind, sequences, bidirectional), new Flatten(),
        new Dense(2));
    float[] p = params(arch);
    float[] x = LayerGradientTest.uniform(BATCH * STEPS * IN, 1.0, 7);
    float[] y = LayerGradientTest.uniform(BATCH * 2, 1.0, 8);
    MeanSquaredError mse = new MeanSquaredError();
    GradientCheck.check(arch, mse, p, x, null, y, 2, BATCH, true, GradientCheck.Tolerance.FLOAT);
    GradientCheck.check(arch, mse, p, x, new int[] {4, 2, 1}, y, 2, BATCH, true, GradientCheck.Tolerance.FLOAT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rnn", "lstm", "gru"})
  void paddedStepsChangeNothing(String kind) {
    for (boolean bidirectional : new boolean[] {false, true}) {
      for (boolean sequences : new boolean[] {false, true}) {
        Sequential arch = Sequential.of(Shape.of(STEPS, IN), layer(kind, sequences, bidirectional));
        float[] p = params(arch);
        int[] lengths = {4, 2, 1};
        float[] a = LayerGradientTest.uniform(BATCH * STEPS * IN, 1.0, 9);
        float[] b = a.clone();
        for (int r = 0; r < BATCH; r++) {
          for (int t = lengths[r]; t < STEPS; t++) {
            for (int j = 0; j < IN; j++) {
              b[(r * STEPS + t) * IN + j] = 100f + t + j; // garbage in the padding
            }
          }
        }
        float[][] ra = run(arch, p, a, lengths);
        float[][] rb = run(arch, p, b, lengths);
        for (int i = 0; i < 3; i++) {
          assertThat(rb[i]).as("%s %s %s part %d", kind, sequences, bidirectional, i).containsExactly(ra[i]);
        }
        for (int r = 0; r < BATCH; r++) {
          for (int t = lengths[r]; t < STEPS; t++) {
            for (int j = 0; j < IN; j++) {
              assertThat(ra[2][(r * STEPS + t) * IN + j]).isZero();
            }
          }
        }
      }
    }
  }

  @org.junit.jupiter.api.Test
  void sequenceLayersRoundTripThroughJson() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    Layer[] layers = {new Embedding(100, 8), new SimpleRNN(4), new LSTM(5, true), new GRU(6),
        new LSTM(3, true, io.sparkprop.core.model.Initializer.HE_UNIFORM, null, io.sparkprop.core.model.Initializer.ONES),
        new Bidirectional(new GRU(2, true))};
    for (Layer l : layers) {
      String json = mapper.writerFor(Layer.class).writeValueAsString(l);
      assertThat(json).contains("\"type\":\"" + l.kind() + "\"");
      assertThat(mapper.readValue(json, Layer.class)).as(json).isEqualTo(l);
    }
    assertThat(mapper.readValue("{\"type\":\"lstm\",\"units\":7}", Layer.class)).isEqualTo(new LSTM(7));
  }

  /** Output, parameter gradients and input gradients for an upstream gradient of ones. */
  private static float[][] run(Sequential arch, float[] p, float[] x, int[] lengths) {
    Network net = arch.network();
    float[] y = net.forward(p, x, null, lengths, BATCH, true, 0L).clone();
    int n = BATCH * arch.outputShape().size();
    float[] dy = new float[n];
    Arrays.fill(dy, 1f);
    float[] grads = new float[p.length];
    float[] dx = new float[x.length];
    net.backward(p, dy, grads, dx, BATCH, true);
    return new float[][] {Arrays.copyOf(y, n), grads, dx};
  }
}
