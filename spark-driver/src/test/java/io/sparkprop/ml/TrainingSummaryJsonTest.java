package io.sparkprop.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 14: the spark.ml training summary keeps the validation metrics through a save and load. */
class TrainingSummaryJsonTest {
  @Test
  void validationMetricsSurviveTheModelJson() throws Exception {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("f1_macro", 0.75);
    m.put("roc_auc", 0.875);
    m.put("pr_auc", Double.NaN);
    History h = new History(List.of(
        new EpochLog(1, 0.5, 0.75, 0.625, 0.8, 1e-3, 2.0, 100, new double[] {0, 1, 0, 0}, m),
        new EpochLog(2, 0.25, 0.875, 0.5, 0.85, 1e-3, 2.0, 100, new double[] {0, 1, 0, 0})));
    NeuralNetTrainingSummary s = new NeuralNetTrainingSummary(h, TrainingConfig.DEFAULTS);
    NeuralNetTrainingSummary back = NeuralNetTrainingSummary.fromJson(s.toJson(), "model.json");
    assertThat(back.metric("val_f1_macro")[0]).isEqualTo(0.75);
    assertThat(back.metric("val_roc_auc")[1]).isNaN();
    assertThat(back.history().epochs().get(0).valMetrics()).containsOnlyKeys("f1_macro", "roc_auc", "pr_auc");
    assertThat(back.metric("val_pr_auc")[0]).isNaN();
  }
}
