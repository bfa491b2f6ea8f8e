package io.sparkprop.core.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.testing.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SimpleRNN, LSTM and GRU against PyTorch (float64 goldens, 1e-5 relative), all steps real and
 * padded. The golden's upstream gradient reaches both the sequence output and the last output;
 * as gradients are linear in it, the layer runs once with {@code returnSequences} and once
 * without, and the two backward passes are summed.
 */
class RecurrentGoldenTest {

  static RecurrentLayer layer(String kind, int units, boolean sequences) {
    return switch (kind) {
      case "rnn" -> new SimpleRNN(units, sequences);
      case "lstm" -> new LSTM(units, sequences);
      case "gru" -> new GRU(units, sequences);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** kernel, recurrent_kernel, input_bias, recurrent_bias: the layout's order. */
  static float[] weights(JsonNode w) {
    String[] names = {"kernel", "recurrent_kernel", "input_bias", "recurrent_bias"};
    double[][] parts = new double[4][];
    int n = 0;
    for (int i = 0; i < 4; i++) {
      parts[i] = Golden.tensor(w.get(names[i]), names[i]).data();
      n += parts[i].length;
    }
    float[] p = new float[n];
    int at = 0;
    for (double[] part : parts) {
      for (double v : part) {
        p[at++] = (float) v;
      }
    }
    return p;
  }

  static double[] expected(JsonNode w) {
    float[] f = weights(w);
    double[] d = new double[f.length];
    String[] names = {"kernel", "recurrent_kernel", "input_bias", "recurrent_bias"};
    int at = 0;
    for (String name : names) {
      for (double v : Golden.tensor(w.get(name), name).data()) {
        d[at++] = v;
      }
    }
    return d;
  }

  @ParameterizedTest
  @ValueSource(strings = {"rnn", "lstm", "gru", "rnn_padded", "lstm_padded", "gru_padded"})
  void matchesPyTorch(String name) {
    Golden g = Golden.load(name);
    Golden.Tensor x = g.tensor("input");
    int batch = x.dim(0);
    int steps = x.dim(1);
    int in = x.dim(2);
    int units = g.node("units").asInt();
    int[] lengths = new int[batch];
    for (int r = 0; r < batch; r++) {
      lengths[r] = g.node("lengths").get(r).asInt();
    }
    String kind = g.text("kind");
    assertThat(g.text("gate_order")).isEqualTo(switch (kind) {
      case "lstm" -> "i,f,g,o";
      case "gru" -> "r,z,n";
      default -> "tanh";
    });
    float[] p = weights(g.node("weights"));
    float[] grads = new float[p.length];
    float[] dx = new float[x.size()];
    float[] dxLast = new float[x.size()];

    Network seq = Sequential.of(Shape.of(steps, in), layer(kind, units, true)).network();
    float[] ys = seq.forward(p, x.floats(), null, lengths, batch, true, 0L);
    CnnTesting.assertClose(name + " sequence output", ys, 0, 1, g.tensor("expected_sequence_output").data(), 1e-5);
    seq.backward(p, g.tensor("upstream_gradient_sequence").floats(), grads, dx, batch, true);

    Network last = Sequential.of(Shape.of(steps, in), layer(kind, units, false)).network();
    float[] yl = last.forward(p, x.floats(), null, lengths, batch, true, 0L);
    CnnTesting.assertClose(name + " last output", yl, 0, 1, g.tensor("expected_last_output").data(), 1e-5);
    last.backward(p, g.tensor("upstream_gradient_last").floats(), grads, dxLast, batch, true);

    CnnTesting.assertClose(name + " weight gradients", grads, 0, 1, expected(g.node("expected_gradients")), 1e-5);
    for (int i = 0; i < dx.length; i++) {
      dx[i] += dxLast[i];
    }
    CnnTesting.assertClose(name + " input gradient", dx, 0, 1, g.tensor("expected_input_gradient").data(), 1e-5);
  }
}
