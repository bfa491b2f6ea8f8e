package io.sparkprop.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EarlyStoppingTrackerTest {

  @Test
  void stopsAfterPatienceEpochsWithoutImprovement() {
    EarlyStoppingTracker t = new EarlyStoppingTracker(new EarlyStopping("val_loss", 2, 0.01, true));
    assertThat(t.update(1.0, 1)).isTrue();
    assertThat(t.update(0.9, 2)).isTrue();
    assertThat(t.update(0.895, 3)).isFalse(); // less than minDelta better
    assertThat(t.shouldStop()).isFalse();
    assertThat(t.update(0.5, 4)).isTrue();    // resets the wait
    assertThat(t.update(0.6, 5)).isFalse();
    assertThat(t.shouldStop()).isFalse();
    assertThat(t.update(0.6, 6)).isFalse();
    assertThat(t.shouldStop()).isTrue();
    assertThat(t.best()).isEqualTo(0.5);
    assertThat(t.bestEpoch()).isEqualTo(4);
    assertThat(t.epochsWaited()).isEqualTo(2);
  }

  @Test
  void accuracyIsMaximisedAndPatienceZeroStopsAtOnce() {
    EarlyStopping es = new EarlyStopping("val_accuracy", 0, 0, false);
    assertThat(es.maximise()).isTrue();
    assertThat(new EarlyStopping("loss", 0, 0, false).maximise()).isFalse();
    EarlyStoppingTracker t = new EarlyStoppingTracker(es);
    assertThat(t.update(0.7, 0)).isTrue();
    assertThat(t.shouldStop()).isFalse();
    assertThat(t.update(0.8, 1)).isTrue();
    assertThat(t.update(0.8, 2)).isFalse();
    assertThat(t.shouldStop()).isTrue();
  }

  @Test
  void restoresStateAndRejectsMissingMetric() {
    EarlyStoppingTracker t = new EarlyStoppingTracker(new EarlyStopping("val_loss", 3, 0, false));
    t.restore(0.2, 5, 2);
    assertThat(t.update(0.3, 8)).isFalse();
    assertThat(t.shouldStop()).isTrue();
    assertThatThrownBy(() -> t.update(Double.NaN, 9)).hasMessageContaining("monitors 'val_loss'");
  }

  @Test
  void settingsValidateAndReadJsonWithKerasDefaults() throws Exception {
    assertThatThrownBy(() -> new EarlyStopping("loss", -1, 0, false))
        .hasMessage("earlyStopping: patience must be >= 0, got -1");
    assertThatThrownBy(() -> new EarlyStopping("loss", 1, -0.5, false))
        .hasMessage("earlyStopping: minDelta must be >= 0, got -0.5");
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readValue("{}", EarlyStopping.class)).isEqualTo(new EarlyStopping("val_loss", 0, 0, false));
    EarlyStopping es = new EarlyStopping("val_accuracy", 4, 0.001, true);
    assertThat(json.readValue(json.writeValueAsString(es), EarlyStopping.class)).isEqualTo(es);
  }
}
