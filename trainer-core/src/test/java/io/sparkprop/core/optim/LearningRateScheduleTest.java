package io.sparkprop.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  private static final int S = 10; // steps per epoch

  @Test
  void constant() {
    assertThat(new ConstantRate().multiplier(7, 70, S)).isEqualTo(1.0);
  }

  @Test
  void stepDecayDropsEveryStepEpochs() {
    StepDecay d = new StepDecay(3, 0.5);
    assertThat(d.multiplier(0, 0, S)).isEqualTo(1.0);
    assertThat(d.multiplier(2, 29, S)).isEqualTo(1.0);
    assertThat(d.multiplier(3, 30, S)).isEqualTo(0.5);
    assertThat(d.multiplier(5, 59, S)).isEqualTo(0.5);
    assertThat(d.multiplier(6, 60, S)).isEqualTo(0.25);
    assertThat(d.multiplier(10, 100, S)).isEqualTo(0.125);
  }

  @Test
  void exponentialDecayPerEpochOrPerStep() {
    assertThat(new ExponentialDecay(0.9, false).multiplier(0, 5, S)).isEqualTo(1.0);
    assertThat(new ExponentialDecay(0.9, false).multiplier(2, 25, S)).isCloseTo(0.81, within(1e-15));
    assertThat(new ExponentialDecay(0.9, true).multiplier(0, 0, S)).isEqualTo(1.0);
    assertThat(new ExponentialDecay(0.9, true).multiplier(2, 25, S)).isCloseTo(Math.pow(0.9, 25), within(1e-15));
  }

  @Test
  void cosineWarmsUpLinearlyThenDecaysToTheFloor() {
    CosineDecay c = new CosineDecay(4, 104, 0.1);
    assertThat(c.multiplier(0, 0, S)).isEqualTo(0.25);
    assertThat(c.multiplier(0, 1, S)).isEqualTo(0.5);
    assertThat(c.multiplier(0, 3, S)).isEqualTo(1.0);
    assertThat(c.multiplier(0, 4, S)).isEqualTo(1.0);
    assertThat(c.multiplier(5, 54, S)).isCloseTo(0.1 + 0.9 * 0.5, within(1e-12)); // half way: cos(π/2) = 0
    assertThat(c.multiplier(7, 79, S)).isCloseTo(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.75)), within(1e-12));
    assertThat(c.multiplier(10, 104, S)).isEqualTo(0.1);
    assertThat(c.multiplier(50, 500, S)).isEqualTo(0.1);
    assertThat(new CosineDecay(0, 10, 0).multiplier(0, 0, S)).isEqualTo(1.0);
    assertThat(new CosineDecay(0, 10, 0).multiplier(0, 10, S)).isEqualTo(0.0);
    double prev = 2;
    for (long s = 4; s <= 104; s++) {
      double m = c.multiplier(0, s, S);
      assertThat(m).as("step %d", s).isLessThanOrEqualTo(prev);
      prev = m;
    }
  }

  @Test
  void badSettingsAreNamed() {
    assertThatThrownBy(() -> new StepDecay(0, 0.5)).hasMessage("step_decay: stepEpochs must be >= 1, got 0");
    assertThatThrownBy(() -> new StepDecay(2, 1.5)).hasMessage("step_decay: gamma must be in (0, 1], got 1.5");
    assertThatThrownBy(() -> new ExponentialDecay(0, true))
        .hasMessage("exponential_decay: gamma must be in (0, 1], got 0.0");
    assertThatThrownBy(() -> new CosineDecay(10, 10, 0))
        .hasMessageContaining("cosine_decay: totalSteps must be > warmupSteps");
    assertThatThrownBy(() -> new CosineDecay(-1, 10, 0)).hasMessageContaining("cosine_decay: warmupSteps must be >= 0");
    assertThatThrownBy(() -> new CosineDecay(0, 10, 2))
        .hasMessageContaining("cosine_decay: minMultiplier must be in [0, 1]");
    assertThatThrownBy(() -> new ReduceOnPlateau("val_loss", 1.0, 2, 0, 0))
        .hasMessageContaining("reduce_on_plateau: factor must be in (0, 1)");
  }

  @Test
  void jsonNamesRoundTrip() throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (LearningRateSchedule s : List.of(new ConstantRate(), new StepDecay(3, 0.5), new ExponentialDecay(0.9, true),
        new CosineDecay(100, 1000, 0.01), new ReduceOnPlateau("val_accuracy", 0.5, 3, 0.001, 1e-5))) {
      String text = json.writeValueAsString(s);
      assertThat(json.readValue(text, LearningRateSchedule.class)).as(text).isEqualTo(s);
    }
    assertThat(json.readValue("{\"type\":\"cosine_decay\",\"totalSteps\":50}", LearningRateSchedule.class))
        .isEqualTo(new CosineDecay(0, 50, 0));
    assertThat(json.readValue("{\"type\":\"reduce_on_plateau\"}", LearningRateSchedule.class))
        .isEqualTo(new ReduceOnPlateau("val_loss", 0.1, 10, 1e-4, 0));
    assertThatThrownBy(() -> json.readValue("{\"type\":\"cosine_decay\"}", LearningRateSchedule.class))
        .hasMessageContaining("totalSteps must be > warmupSteps");
  }
}
