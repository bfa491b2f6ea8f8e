package io.sparkprop.core.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.testing.Golden;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * LayerNormalization, MultiHeadAttention and TransformerEncoder against PyTorch (float64
 * references, {@code |ours − theirs| ≤ 1e-6 + 1e-5·|theirs|}): output, every parameter gradient
 * and the input gradient for the golden upstream gradient. PyTorch computes padded query rows
 * anyway; ours are zero by design, so outputs are compared on real rows (the upstream gradient
 * of padded rows is zero in the cases, so every gradient is compared in full).
 */
class AttentionGoldenTest {
  private static final double REL = 1e-5;

  @Test
  void layerNormMatchesPyTorch() {
    Golden g = Golden.load("layernorm");
    Golden.Tensor in = g.tensor("input");
    assertThat(g.number("eps")).isEqualTo(1e-5);
    Sequential arch = Sequential.of(Shape.of(in.dim(1), in.dim(2)), new LayerNormalization());
    float[] p = new float[arch.paramCount()];
    ParamLayout layout = arch.layout();
    put(p, layout.offset(0, "gamma"), g.tensor("gamma"));
    put(p, layout.offset(0, "beta"), g.tensor("beta"));
    float[] grads = run(g, arch, p, null, "expected_output", false);
    CnnTesting.assertClose("gamma gradient", grads, layout.offset(0, "gamma"), 1,
        g.tensor("expected_gamma_gradient").data(), REL);
    CnnTesting.assertClose("beta gradient", grads, layout.offset(0, "beta"), 1,
        g.tensor("expected_beta_gradient").data(), REL);
  }

  @Test
  void multiHeadSelfAttentionMatchesPyTorch() {
    Golden g = Golden.load("multihead_self_attention");
    Golden.Tensor in = g.tensor("input");
    Sequential arch = Sequential.of(Shape.of(in.dim(1), in.dim(2)),
        new MultiHeadAttention((int) g.number("heads")));
    float[] p = new float[arch.paramCount()];
    putAll(p, arch.layout(), g.node("weights"), "");
    int[] lengths = ints(g.numbers("lengths"));
    float[] grads = run(g, arch, p, lengths, "expected_output", true);
    assertGradients(g.node("expected_gradients"), "", arch.layout(), grads);
  }

  @Test
  void transformerEncoderLayerMatchesPyTorch() {
    Golden g = Golden.load("transformer_encoder_layer");
    assertThat(g.text("activation")).isEqualTo("relu");
    assertThat(g.text("norm")).startsWith("post");
    Golden.Tensor in = g.tensor("input");
    Sequential arch = Sequential.of(Shape.of(in.dim(1), in.dim(2)), new TransformerEncoder(
        (int) g.number("heads"), (int) g.number("ff_dim"), 0.0, "relu", false, g.number("eps")));
    float[] p = new float[arch.paramCount()];
    putAll(p, arch.layout(), g.node("weights"), "");
    int[] lengths = ints(g.numbers("lengths"));
    // training mode: dropout 0 makes it deterministic, and it is the mode gradients are taken in
    float[] grads = run(g, arch, p, lengths, "expected_output", true);
    assertGradients(g.node("expected_gradients"), "", arch.layout(), grads);
  }

  /** Forward, compare the output (real rows), backward, compare dx; returns the parameter gradients. */
  private static float[] run(Golden g, Sequential arch, float[] p, int[] lengths, String expected,
                             boolean training) {
    Golden.Tensor in = g.tensor("input");
    int batch = in.dim(0);
    int steps = in.dim(1);
    int width = in.dim(2);
    Network net = arch.network();
    float[] out = net.forward(p, in.floats(), null, lengths, batch, training, 0L).clone();
    double[] want = g.tensor(expected).data();
    for (int r = 0; r < batch; r++) {
      int len = lengths == null ? steps : lengths[r];
      for (int t = 0; t < steps; t++) {
        int o = (r * steps + t) * width;
        double[] row = java.util.Arrays.copyOfRange(want, o, o + width);
        if (t < len) {
          CnnTesting.assertClose("output[" + r + ", " + t + "]", out, o, 1, row, REL);
        } else {
          CnnTesting.assertClose("padded output[" + r + ", " + t + "]", out, o, 1, new double[width], 0);
        }
      }
    }
    float[] grads = new float[p.length];
    float[] dx = new float[in.size()];
    net.backward(p, g.tensor("upstream_gradient").floats(), grads, dx, batch, training);
    CnnTesting.assertClose("input gradient", dx, 0, 1, g.tensor("expected_input_gradient").data(), REL);
    return grads;
  }

  /** Copies every tensor of a (nested) weights node to its place; nested names are flattened. */
  private static void putAll(float[] p, ParamLayout layout, JsonNode weights, String prefix) {
    for (Iterator<Map.Entry<String, JsonNode>> it = weights.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().has("shape")) {
        put(p, layout.offset(0, prefix + e.getKey()), Golden.tensor(e.getValue(), e.getKey()));
      } else {
        putAll(p, layout, e.getValue(), prefix);
      }
    }
  }

  private static void assertGradients(JsonNode expected, String prefix, ParamLayout layout, float[] grads) {
    int seen = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().has("shape")) {
        Golden.Tensor t = Golden.tensor(e.getValue(), e.getKey());
        CnnTesting.assertClose(e.getKey() + " gradient", grads, layout.offset(0, prefix + e.getKey()), 1,
            t.data(), REL);
        seen += t.size();
      } else {
        assertGradients(e.getValue(), prefix, layout, grads);
        seen = -1;
      }
    }
    if (seen >= 0 && expected.size() > 0) {
      assertThat(seen).isPositive();
    }
  }

  private static void put(float[] p, int offset, Golden.Tensor t) {
    float[] f = t.floats();
    System.arraycopy(f, 0, p, offset, f.length);
  }

  private static int[] ints(double[] d) {
    int[] out = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (int) d[i];
    }
    return out;
  }
}
