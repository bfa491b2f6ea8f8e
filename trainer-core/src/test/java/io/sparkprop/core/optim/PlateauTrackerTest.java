package io.sparkprop.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlateauTrackerTest {

  @Test
  void reducesAfterPatienceEpochsWithoutImprovementDownToTheMinimumRate() {
    // base rate 0.1, minRate 0.02: factors 1 → 0.5 → 0.25 → 0.2 (floor)
    PlateauTracker t = new PlateauTracker(new ReduceOnPlateau("val_loss", 0.5, 2, 0.01, 0.02), 0.1);
    assertThat(t.maximise()).isFalse();
    assertThat(t.update(1.0)).isEqualTo(1.0);   // first value is the best
    assertThat(t.update(0.8)).isEqualTo(1.0);   // improved
    assertThat(t.update(0.795)).isEqualTo(1.0); // within minDelta: wait 1
    assertThat(t.epochsWaited()).isEqualTo(1);
    assertThat(t.update(0.9)).isEqualTo(0.5);   // wait 2 = patience: reduce, wait back to 0
    assertThat(t.epochsWaited()).isZero();
    assertThat(t.best()).isEqualTo(0.8);
    assertThat(t.update(0.85)).isEqualTo(0.5);
    assertThat(t.update(0.85)).isEqualTo(0.25);
    assertThat(t.update(0.7)).isEqualTo(0.25);  // improvement resets the wait
    assertThat(t.update(0.7)).isEqualTo(0.25);
    double floor = 0.02 / 0.1;
    assertThat(t.update(0.7)).isEqualTo(floor); // 0.125 would be below minRate/base
    assertThat(t.update(0.7)).isEqualTo(floor);
    assertThat(t.update(0.7)).isEqualTo(floor);
    assertThat(t.factor()).isEqualTo(floor);
  }

  @Test
  void accuracyIsMaximised() {
    PlateauTracker t = new PlateauTracker(new ReduceOnPlateau("val_accuracy", 0.1, 0, 0, 0), 1.0);
    assertThat(t.maximise()).isTrue();
    assertThat(t.update(0.5)).isEqualTo(1.0);
    assertThat(t.update(0.6)).isEqualTo(1.0);
    assertThat(t.update(0.55)).isEqualTo(0.1); // patience 0: the first non-improving epoch reduces
  }

  @Test
  void restoresStateAndRejectsMissingMetric() {
    PlateauTracker t = new PlateauTracker(new ReduceOnPlateau("loss", 0.5, 1, 0, 0), 1.0);
    t.restore(0.25, 0.3, 0);
    assertThat(t.update(0.4)).isEqualTo(0.125);
    assertThatThrownBy(() -> t.update(Double.NaN)).hasMessageContaining("monitors 'loss'");
  }
}
