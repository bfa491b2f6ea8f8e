package io.sparkprop.core.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkprop.core.loss.Huber;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.MeanAbsoluteError;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.loss.SigmoidBinaryCrossEntropy;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Initializer;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shapes, layers, architectures and losses survive a JSON round trip through Jackson. */
class LayerJsonTest {
  /** A plain mapper (test-local); only FAIL_ON_EMPTY_BEANS is off, for records without fields. */
  private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  static final List<Layer> LAYERS = List.of(
      new Dense(5),
      new Dense(3, false, Initializer.HE_NORMAL, Initializer.ONES, new Regularizer(0.01, 0.001)),
      new ReLU(), new LeakyReLU(0.2), new ELU(0.5), new GELU(), new Sigmoid(), new Tanh(), new Softmax(),
      new Dropout(0.25), new Flatten(),
      new Conv2D(4, 3), new Conv2D(2, 5, 2, Padding.SAME, false, Initializer.HE_UNIFORM, Initializer.ONES,
          new Regularizer(0, 1e-4)),
      new MaxPool2D(2), new MaxPool2D(3, 1, Padding.SAME), new ZeroPadding2D(1, 2), new AvgPool2D(2), new AvgPool2D(3, 2, Padding.SAME),
      new GlobalAveragePooling2D(), new BatchNormalization(), new BatchNormalization(0.01, 1e-3));

  @Test
  void shapeIsAnArrayOfInts() throws Exception {
    String json = MAPPER.writeValueAsString(Shape.of(1, 28, 28));
    assertThat(json).isEqualTo("[1,28,28]");
    assertThat(MAPPER.readValue(json, Shape.class)).isEqualTo(Shape.of(1, 28, 28));
    assertThat(MAPPER.readValue("[784]", Shape.class)).isEqualTo(Shape.of(784));
  }

  @Test
  void everyLayerRoundTrips() throws Exception {
    for (Layer layer : LAYERS) {
      String json = MAPPER.writerFor(Layer.class).writeValueAsString(layer);
      assertThat(json).as(layer.toString()).contains("\"type\":\"" + layer.kind() + "\"");
      assertThat(MAPPER.readValue(json, Layer.class)).as(json).isEqualTo(layer);
    }
  }

  @Test
  void aDefaultMapperNeedsNoSpecialSettings() throws Exception {
    ObjectMapper plain = new ObjectMapper();
    for (Layer layer : LAYERS) {
      String json = plain.writerFor(Layer.class).writeValueAsString(layer);
      assertThat(plain.readValue(json, Layer.class)).as(json).isEqualTo(layer);
    }
    assertThat(plain.writeValueAsString(new ReLU())).isEqualTo("{\"type\":\"relu\"}");
    assertThat(plain.writeValueAsString(new Dense(3).withRegularizer(new Regularizer(0.5, 0))))
        .endsWith("\"regularizer\":{\"l1\":0.5,\"l2\":0.0}}");
    assertThat(plain.writerFor(Loss.class).writeValueAsString(new Huber())).isEqualTo("{\"type\":\"huber\",\"delta\":1.0}");
  }

  @Test
  void denseFillsKerasDefaultsForMissingKeys() throws Exception {
    assertThat(MAPPER.readValue("{\"type\":\"dense\",\"units\":4}", Layer.class)).isEqualTo(new Dense(4));
    assertThat(MAPPER.readValue("{\"type\":\"dense\",\"units\":4,\"kernelInitializer\":\"he_uniform\"}",
        Layer.class)).isEqualTo(new Dense(4).withInitializer(Initializer.HE_UNIFORM));
  }

  @Test
  void architectureRoundTrips() throws Exception {
    Sequential s = new Sequential(Shape.of(1, 4, 4), List.of(new Flatten(), new Dense(8), new ReLU(),
        new Dropout(0.1), new Dense(3).withRegularizer(new Regularizer(0, 1e-4))));
    String json = MAPPER.writeValueAsString(s);
    assertThat(json).startsWith("{\"inputShape\":[1,4,4],\"layers\":[{\"type\":\"flatten\"}");
    assertThat(MAPPER.readValue(json, Sequential.class)).isEqualTo(s);
  }

  @Test
  void everyLossRoundTrips() throws Exception {
    for (Loss loss : List.of(new SoftmaxCrossEntropy(), new SigmoidBinaryCrossEntropy(), new MeanSquaredError(),
        new MeanAbsoluteError(), new Huber(0.5))) {
      String json = MAPPER.writerFor(Loss.class).writeValueAsString(loss);
      assertThat(MAPPER.readValue(json, Loss.class)).as(json).isEqualTo(loss);
    }
  }
}
