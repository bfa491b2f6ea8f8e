package io.sparkprop.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The attention layers in JSON (defaults for left-out keys), their shapes and bad configurations. */
class AttentionLayerJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  @Test
  void everyLayerRoundTrips() throws Exception {
    List<Layer> layers = List.of(new LayerNormalization(), new LayerNormalization(1e-3), new MultiHeadAttention(4),
        new TransformerEncoder(4, 128), new TransformerEncoder(2, 16, 0.0, "gelu", true, 1e-6),
        new PositionalEmbedding(256), new GlobalAveragePooling1D(), new GlobalMaxPooling1D(),
        new TimeDistributed(new Dense(7)));
    for (Layer layer : layers) {
      String json = MAPPER.writerFor(Layer.class).writeValueAsString(layer);
      assertThat(json).contains("\"type\":\"" + layer.kind() + "\"");
      assertThat(MAPPER.readValue(json, Layer.class)).as(json).isEqualTo(layer);
    }
  }

  @Test
  void leftOutKeysTakePyTorchDefaults() throws Exception {
    Layer l = MAPPER.readValue("{\"type\":\"transformer_encoder\",\"heads\":4,\"feedForward\":128}", Layer.class);
    assertThat(l).isEqualTo(new TransformerEncoder(4, 128, 0.1, "relu", false, 1e-5));
    assertThat(MAPPER.readValue("{\"type\":\"layer_norm\"}", Layer.class)).isEqualTo(new LayerNormalization(1e-5));
    assertThat(MAPPER.readValue("{\"type\":\"time_distributed\",\"layer\":{\"type\":\"dense\",\"units\":3}}",
        Layer.class)).isEqualTo(new TimeDistributed(new Dense(3)));
  }

  @Test
  void shapesAndParameterCounts() {
    Sequential s = Sequential.of(Shape.of(256, 64), new PositionalEmbedding(256), new TransformerEncoder(4, 128),
        new TransformerEncoder(4, 128), new GlobalAveragePooling1D(), new Dense(2));
    assertThat(s.shapes()).containsExactly(Shape.of(256, 64), Shape.of(256, 64), Shape.of(256, 64),
        Shape.of(256, 64), Shape.of(64), Shape.of(2));
    // PyTorch: 4·(64·64 + 64) attention + 64·128 + 128 + 128·64 + 64 feed-forward + 4·64 norms = 33,472
    assertThat(s.layers().get(1).paramCount(Shape.of(256, 64))).isEqualTo(33_472);
    assertThat(s.layers().get(0).paramCount(Shape.of(256, 64))).isEqualTo(256 * 64);
  }

  @Test
  void badConfigurationsSayWhatIsWrong() {
    assertThatThrownBy(() -> Sequential.of(Shape.of(10, 6), new MultiHeadAttention(4)))
        .hasMessageContaining("4 heads do not divide the width 6");
    assertThatThrownBy(() -> Sequential.of(Shape.of(60), new GlobalAveragePooling1D()))
        .hasMessageContaining("needs a sequence input");
    assertThatThrownBy(() -> Sequential.of(Shape.of(300, 8), new PositionalEmbedding(256)))
        .hasMessageContaining("covers 256 steps, the input has 300");
    assertThatThrownBy(() -> new TransformerEncoder(2, 8, 0.1, "swish", false, 1e-5))
        .hasMessageContaining("\"relu\" or \"gelu\"");
  }
}
