package io.sparkprop.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON names and defaults of the optimizers. */
class OptimizerJsonTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void roundTripsEveryOptimizer() throws Exception {
    for (Optimizer o : List.of(new SGD(0.1, 0.9, true, 0.01), new Adam(0.01, 0.8, 0.99, 1e-7, 0.1),
        new AdamW(0.01, 0.8, 0.99, 1e-7, 0.1), new RMSProp(0.01, 0.9, 0.5, 1e-7, 0.1),
        new Adagrad(0.01, 0.1, 1e-7, 0.1))) {
      String text = json.writeValueAsString(o);
      assertThat(json.readValue(text, Optimizer.class)).as(text).isEqualTo(o);
    }
    assertThat(json.writeValueAsString(new RMSProp(0.01)))
        .isEqualTo("{\"type\":\"rmsprop\",\"learningRate\":0.01,\"rho\":0.99,\"momentum\":0.0,"
            + "\"epsilon\":1.0E-8,\"weightDecay\":0.0}");
  }

  @Test
  void missingKeysTakePyTorchDefaults() throws Exception {
    assertThat(json.readValue("{\"type\":\"adam\"}", Optimizer.class)).isEqualTo(new Adam(1e-3));
    assertThat(json.readValue("{\"type\":\"adamw\",\"learningRate\":0.01}", Optimizer.class))
        .isEqualTo(new AdamW(0.01, 0.9, 0.999, 1e-8, 0.01));
    assertThat(json.readValue("{\"type\":\"sgd\",\"momentum\":0.9}", Optimizer.class))
        .isEqualTo(new SGD(0.01, 0.9, false, 0));
    assertThat(json.readValue("{\"type\":\"rmsprop\"}", Optimizer.class)).isEqualTo(new RMSProp(0.01));
    assertThat(json.readValue("{\"type\":\"adagrad\"}", Optimizer.class)).isEqualTo(new Adagrad(0.01));
  }

  @Test
  void badValuesInJsonGiveTheMessage() {
    assertThatThrownBy(() -> json.readValue("{\"type\":\"rmsprop\",\"rho\":1.5}", Optimizer.class))
        .hasMessageContaining("rmsprop: rho must be in [0, 1), got 1.5");
  }
}
