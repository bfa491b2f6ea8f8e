package io.sparkprop.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.ELU;
import io.sparkprop.core.layer.GELU;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.layer.LeakyReLU;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.layer.Sigmoid;
import io.sparkprop.core.layer.Tanh;
import io.sparkprop.core.loss.Huber;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.MeanAbsoluteError;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.loss.SigmoidBinaryCrossEntropy;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code mlp_*} PyTorch case of the golden test resources: forward output, loss, every kernel and bias
 * gradient and the input gradient. The case's loss and gradients are means over the batch, ours
 * are sums, so ours are divided by the batch size. We compute in float32 from float-rounded
 * inputs, so a value passes when |ours − golden| ≤ 1e-6 + 1e-5·|golden|.
 */
class GoldenMlpTest {
  private static final double REL = 1e-5;
  private static final double ABS = 1e-6;

  static List<String> cases() {
    return Golden.names("mlp_");
  }

  @Test
  void allKnownCasesArePresent() {
    assertThat(cases()).contains("mlp_relu_softmax_ce", "mlp_tanh_sigmoid_mse", "mlp_leaky_gelu_bce",
        "mlp_elu_mae", "mlp_relu_huber");
  }

  static Layer layer(JsonNode n, String where) {
    String type = n.get("type").asText();
    return switch (type) {
      case "dense" -> new Dense(n.get("units").asInt());
      case "relu" -> new ReLU();
      case "leaky_relu" -> new LeakyReLU(n.get("alpha").asDouble());
      case "elu" -> new ELU(n.has("alpha") ? n.get("alpha").asDouble() : 1.0);
      case "gelu" -> new GELU();
      case "sigmoid" -> new Sigmoid();
      case "tanh" -> new Tanh();
      default -> throw new IllegalStateException(where + ": layer type '" + type + "' is not known to this test");
    };
  }

  static Loss loss(Golden g) {
    String name = g.text("loss");
    return switch (name) {
      case "softmax_cross_entropy" -> new SoftmaxCrossEntropy();
      case "sigmoid_binary_cross_entropy" -> new SigmoidBinaryCrossEntropy();
      case "mean_squared_error" -> new MeanSquaredError();
      case "mean_absolute_error" -> new MeanAbsoluteError();
      case "huber" -> new Huber(g.number("delta"));
      default -> throw new IllegalStateException(g.name() + ": loss '" + name + "' is not known to this test");
    };
  }

  /** |actual − expected| ≤ ABS + REL·|expected| for every value, naming the first one off. */
  static void assertClose(String what, float[] actual, double scale, Golden.Tensor expected) {
    assertThat(actual.length).as(what + " size").isGreaterThanOrEqualTo(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      double a = actual[i] * scale;
      double e = expected.data()[i];
      assertThat(Math.abs(a - e)).as("%s[%d]: ours %s, golden %s", what, i, a, e)
          .isLessThanOrEqualTo(ABS + REL * Math.abs(e));
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesPyTorch(String name) {
    Golden g = Golden.load(name);
    Golden.Tensor input = g.tensor("input");
    int batch = input.dim(0);
    JsonNode layerNodes = g.node("layers");
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < layerNodes.size(); i++) {
      layers.add(layer(layerNodes.get(i), name + ".layers[" + i + "]"));
    }
    Sequential arch = new Sequential(Shape.of(input.dim(1)), layers);
    ParamLayout layout = arch.layout();
    float[] params = new float[layout.size()];
    int copied = 0;
    for (int i = 0; i < layerNodes.size(); i++) {
      for (ParamLayout.Entry e : layout.ofLayer(i)) {
        String tensor = e.spec().name();
        Golden.Tensor t = Golden.tensor(layerNodes.get(i).get(tensor), name + ".layers[" + i + "]." + tensor);
        assertThat(t.shape()).as("shape of layer %d %s", i, tensor).containsExactly(e.spec().shape().dims());
        System.arraycopy(t.floats(), 0, params, e.offset(), t.size());
        copied += t.size();
      }
    }
    assertThat(copied).isEqualTo(params.length);

    Loss loss = loss(g);
    float[] labels;
    int labelWidth;
    if (g.has("labels")) {
      double[] l = g.numbers("labels");
      labels = new float[l.length];
      for (int i = 0; i < l.length; i++) {
        labels[i] = (float) l[i];
      }
      labelWidth = 1;
    } else {
      Golden.Tensor t = g.tensor("targets");
      labels = t.floats();
      labelWidth = t.dim(1);
    }
    assertThat(labels.length).isEqualTo(batch * labelWidth);
    assertThat(loss.checkLabelWidth(labelWidth, arch.outputShape().size())).isNull();

    Network net = arch.network();
    float[] out = net.forward(params, input.floats(), batch, false, 0L).clone();
    Golden.Tensor expectedOut = g.tensor("expected_output");
    assertThat(expectedOut.shape()).containsExactly(batch, net.outputSize());
    assertClose(name + " output", out, 1, expectedOut);

    float[] dOut = new float[batch * net.outputSize()];
    double sum = loss.lossAndGradient(out, labels, batch, net.outputSize(), labelWidth, dOut);
    double expectedLoss = g.number("expected_loss");
    assertThat(Math.abs(sum / batch - expectedLoss)).as("%s loss: ours %s, golden %s", name, sum / batch, expectedLoss)
        .isLessThanOrEqualTo(ABS + REL * Math.abs(expectedLoss));

    float[] grads = new float[params.length];
    float[] dx = new float[batch * net.inputSize()];
    net.backward(params, dOut, grads, dx, batch, false);
    JsonNode expectedGrads = g.node("expected_gradients");
    assertThat(expectedGrads.size()).isEqualTo(layout.entries().stream().mapToInt(ParamLayout.Entry::layer)
        .distinct().count());
    int k = 0;
    for (int i = 0; i < layerNodes.size(); i++) {
      List<ParamLayout.Entry> entries = layout.ofLayer(i);
      if (entries.isEmpty()) {
        continue;
      }
      JsonNode gl = expectedGrads.get(k++);
      for (ParamLayout.Entry e : entries) {
        String tensor = e.spec().name();
        Golden.Tensor t = Golden.tensor(gl.get(tensor), name + ".expected_gradients[" + (k - 1) + "]." + tensor);
        float[] ours = java.util.Arrays.copyOfRange(grads, e.offset(), e.end());
        assertClose(name + " gradient of layer " + i + " " + tensor, ours, 1.0 / batch, t);
      }
    }
    assertClose(name + " input gradient", dx, 1.0 / batch, g.tensor("expected_input_gradient"));

    if (g.has("expected_probabilities")) {
      float[] probs = out.clone();
      loss.activateInPlace(probs, batch, net.outputSize());
      assertClose(name + " probabilities", probs, 1, g.tensor("expected_probabilities"));
    }
  }
}
