package io.sparkprop.core.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.sparkprop.core.testing.Golden;
import io.sparkprop.core.testing.GradientCheck.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole CNN against PyTorch, a finite-difference check of a deeper stack, and the CNN layers in
 * JSON and model files.
 */
class CnnGoldenTest {

  /**
   * The golden layer list as our layers. PyTorch pads symmetrically, so a padded convolution
   * becomes {@link ZeroPadding2D} followed by a {@code valid} {@link Conv2D}.
   */
  private static void addLayer(JsonNode l, List<Layer> layers) {
    String type = l.get("type").asText();
    if (type.equals("conv2d")) {
      int k = l.get("kernel").get(0).asInt();
      assertThat(l.get("kernel").get(1).asInt()).isEqualTo(k);
      assertThat(l.get("weight_layout").asText()).isEqualTo("out,in,kh,kw");
      int pad = l.get("padding").asInt();
      if (pad != 0) {
        layers.add(new ZeroPadding2D(pad));
      }
      layers.add(new Conv2D(l.get("filters").asInt(), k).withStride(l.get("stride").asInt()));
    } else {
      layers.add(layer(type, l));
    }
  }

  private static Layer layer(String type, JsonNode l) {
    switch (type) {
      case "relu":
        return new ReLU();
      case "max_pool2d":
        return new MaxPool2D(l.get("size").asInt(), l.get("stride").asInt(), Padding.VALID);
      case "flatten":
        return new Flatten();
      case "dense":
        return new Dense(l.get("units").asInt());
      default:
        throw new IllegalArgumentException("unexpected golden layer " + type);
    }
  }

  @Test
  void convMaxPoolNetworkMatchesPyTorch() {
    Golden g = Golden.load("cnn_conv_maxpool");
    assertThat(g.node("input_layout").asText()).isEqualTo("NCHW");
    int[] s = g.tensor("input").shape();
    int batch = s[0];
    List<Layer> layers = new ArrayList<>();
    List<JsonNode> withParams = new ArrayList<>();
    List<Integer> paramLayer = new ArrayList<>();
    for (JsonNode l : g.node("layers")) {
      addLayer(l, layers);
      if (l.has("weight") || l.has("kernel")) {
        withParams.add(l);
        paramLayer.add(layers.size() - 1);
      }
    }
    Sequential arch = new Sequential(Shape.of(s[1], s[2], s[3]), layers);
    ParamLayout layout = arch.layout();
    float[] p = new float[layout.size()];
    for (int i = 0; i < withParams.size(); i++) {
      JsonNode l = withParams.get(i);
      int at = paramLayer.get(i);
      float[] kernel = Golden.tensor(l.has("weight") ? l.get("weight") : l.get("kernel"), "golden").floats();
      System.arraycopy(kernel, 0, p, layout.offset(at, "kernel"), kernel.length);
      float[] bias = Golden.tensor(l.get("bias"), "golden").floats();
      System.arraycopy(bias, 0, p, layout.offset(at, "bias"), bias.length);
    }
    assertThat(g.node("loss").asText()).isEqualTo("softmax_cross_entropy");
    float[] labels = new float[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = g.node("labels").get(i).asInt();
    }

    Network net = arch.network();
    float[] out = net.forward(p, g.tensor("input").floats(), batch, true, 0L).clone();
    CnnTesting.assertClose("output", out, 0, 1, CnnTesting.values(g.node("expected_output")), 1e-5);
    SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    float[] dOut = new float[out.length];
    double lossSum = loss.lossAndGradient(out, labels, batch, out.length / batch, 1, dOut);
    assertThat(lossSum / batch).isCloseTo(g.node("expected_loss").asDouble(),
        org.assertj.core.data.Offset.offset(1e-5 * g.node("expected_loss").asDouble()));
    float[] grads = new float[p.length];
    float[] dx = new float[batch * s[1] * s[2] * s[3]];
    net.backward(p, dOut, grads, dx, batch, true);
    // Our gradients are sums over the batch; PyTorch's loss is the batch mean.
    double scale = 1.0 / batch;
    JsonNode expected = g.node("expected_gradients");
    for (int i = 0; i < withParams.size(); i++) {
      int at = paramLayer.get(i);
      JsonNode e = expected.get(i);
      JsonNode kernel = e.has("weight") ? e.get("weight") : e.get("kernel");
      CnnTesting.assertClose("layer " + at + " kernel gradient", grads, layout.offset(at, "kernel"), scale,
          CnnTesting.values(kernel), 1e-5);
      CnnTesting.assertClose("layer " + at + " bias gradient", grads, layout.offset(at, "bias"), scale,
          CnnTesting.values(e.get("bias")), 1e-5);
    }
    CnnTesting.assertClose("input gradient", dx, 0, scale, CnnTesting.values(g.node("expected_input_gradient")), 1e-5);
  }

  static Sequential deepStack() {
    // Max pooling comes first, on inputs spaced wider than the step, so no maximum changes place
    // during a difference (later it would see near-ties of conv outputs: kinks, not errors).
    return Sequential.of(Shape.of(2, 9, 9),
        new MaxPool2D(2, 2, Padding.SAME),
        new Conv2D(3, 3).withPadding(Padding.SAME),
        new Tanh(),
        new ZeroPadding2D(1, 0),
        new Conv2D(4, 2).withStride(2).withPadding(Padding.SAME),
        new BatchNormalization(),
        new AvgPool2D(2, 1, Padding.VALID),
        new Flatten(),
        new Dense(3));
  }

  @Test
  void deepStackGradientsMatchFiniteDifferences() {
    Sequential arch = deepStack();
    assertThat(arch.outputShape()).isEqualTo(Shape.of(3));
    float[] p = arch.initialParams(4);
    int batch = 3;
    float[] x = CnnTesting.distinct(batch * 162, 0.02, 9);
    CnnTesting.check(arch, p, x, batch, true, new Tolerance(1e-3, 1e-2, 5e-4));
  }

  @Test
  void cnnModelWithBatchNormStateSavesAndLoads(@TempDir Path dir)
      throws Exception {
    Sequential arch = deepStack();
    float[] p = arch.initialParams(8);
    int rv = arch.layout().offset(5, "running_var");
    p[rv] = 2.5f; // state travels with the parameters
    Model model = new Model(arch, new SoftmaxCrossEntropy(), p);
    ModelIO.save(model, dir.resolve("cnn"));
    Model back = ModelIO.load(dir.resolve("cnn"));
    assertThat(back.architecture()).isEqualTo(arch);
    assertThat(back.params()).containsExactly(p);
    float[] x = CnnTesting.uniform(4 * 162, 3);
    assertThat(back.predict(x, 4)).containsExactly(model.predict(x, 4));
  }

  @Test
  void cnnArchitecturesRoundTripThroughJson() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    Sequential arch = Sequential.of(Shape.of(1, 28, 28),
        new Conv2D(6, 5).withPadding(Padding.SAME).withRegularizer(new Regularizer(0, 1e-4)),
        new BatchNormalization(0.05, 1e-3),
        new ReLU(),
        new MaxPool2D(2),
        new Conv2D(16, 5, 1, Padding.VALID, false, null, null, null),
        new AvgPool2D(3, 1, Padding.SAME),
        new GlobalAveragePooling2D(),
        new Dense(10));
    String json = mapper.writeValueAsString(arch);
    assertThat(json).contains("\"type\":\"conv2d\"", "\"type\":\"max_pool2d\"", "\"type\":\"avg_pool2d\"",
        "\"type\":\"global_avg_pool2d\"", "\"type\":\"batch_norm\"", "\"padding\":\"same\"");
    assertThat(mapper.readValue(json, Sequential.class)).isEqualTo(arch);
    // Keys left out take the Keras defaults (stride 1 / pool size, valid, bias; PyTorch's BN momentum).
    Sequential minimal = mapper.readValue("{\"inputShape\":[1,8,8],\"layers\":["
        + "{\"type\":\"conv2d\",\"filters\":4,\"kernelSize\":3},{\"type\":\"max_pool2d\",\"size\":2},"
        + "{\"type\":\"avg_pool2d\",\"size\":3},{\"type\":\"batch_norm\"},{\"type\":\"global_avg_pool2d\"}]}",
        Sequential.class);
    assertThat(minimal.layers()).containsExactly(new Conv2D(4, 3), new MaxPool2D(2), new AvgPool2D(3),
        new BatchNormalization(), new GlobalAveragePooling2D());
  }
}
