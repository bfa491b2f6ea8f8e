package io.sparkprop.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The confusion matrix's counts and ratios, and the exact history file formats. */
class ReportTest {

  @Test
  void confusionMatrixCountsAndRatios() {
    float[] actual = {0, 0, 0, 1, 1, 2};
    int[] predicted = {0, 0, 1, 1, 2, 2};
    ConfusionMatrix m = ConfusionMatrix.of(3, actual, 1, predicted, 6);
    assertThat(m.count(0, 0)).isEqualTo(2);
    assertThat(m.count(0, 1)).isEqualTo(1);
    assertThat(m.count(1, 2)).isEqualTo(1);
    assertThat(m.total()).isEqualTo(6);
    assertThat(m.accuracy()).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(m.recall(0)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(m.precision(2)).isCloseTo(0.5, within(1e-12));
    assertThat(m.format()).isEqualTo("""
        Confusion matrix (rows: true class, columns: predicted), 6 samples, accuracy 0.6667
          true    0    1    2   recall
             0    2    1    0   0.6667
             1    0    1    1   0.5000
             2    0    0    1   1.0000
         prec. 1.00 0.50 0.50
        """);
  }

  @Test
  void confusionMatrixReadsOneHotLabels() {
    float[] oneHot = {0, 1, 1, 0};
    ConfusionMatrix m = ConfusionMatrix.of(2, oneHot, 2, new int[] {1, 1}, 2);
    assertThat(m.count(1, 1)).isEqualTo(1);
    assertThat(m.count(0, 1)).isEqualTo(1);
  }

  @Test
  void historyCsvAndJson() {
    History h = new History(List.of(
        new EpochLog(1, 0.5, 0.75, 0.625, 0.8, 1e-3, 2.0, 1000, new double[] {0.25, 1.5, 0.125, 0.0625}),
        new EpochLog(2, 0.25, 0.875, Double.NaN, Double.NaN, 5e-4, 2.0, 1000, new double[] {0, 2, 0, 0})));
    assertThat(HistoryFiles.csv(h)).isEqualTo("""
        epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds,samples,samples_per_second,broadcast_seconds,\
        compute_seconds,aggregate_seconds,update_seconds
        1,0.500000,0.750000,0.625000,0.800000,0.00100000,2,1000,500,0.250000,1.50000,0.125000,0.0625000
        2,0.250000,0.875000,,,0.000500000,2,1000,500,0,2,0,0
        """);
    var json = HistoryFiles.json(h);
    assertThat(json.size()).isEqualTo(2);
    assertThat(json.get(0).get("val_accuracy").asDouble()).isEqualTo(0.8);
    assertThat(json.get(1).has("val_loss")).isFalse();
    assertThat(json.get(1).get("samples").isIntegralNumber()).isTrue();
  }

  /** Issue 14: the validation metrics become columns after the fixed ones, empty where an epoch lacks them. */
  @Test
  void historyFilesCarryTheValidationMetrics() {
    java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
    m.put("accuracy", 0.8);
    m.put("f1_macro", 0.75);
    m.put("roc_auc", 0.875);
    History h = new History(List.of(
        new EpochLog(1, 0.5, 0.75, 0.625, 0.8, 1e-3, 2.0, 1000, new double[] {0, 2, 0, 0}, m),
        new EpochLog(2, 0.25, 0.875, Double.NaN, Double.NaN, 5e-4, 2.0, 1000, new double[] {0, 2, 0, 0})));
    String[] lines = HistoryFiles.csv(h).split("\n");
    assertThat(lines[0]).endsWith(",update_seconds,val_f1_macro,val_roc_auc");
    assertThat(lines[1]).endsWith(",0,0.750000,0.875000");
    assertThat(lines[2]).endsWith(",0,,");
    var json = HistoryFiles.json(h);
    assertThat(json.get(0).get("val_roc_auc").asDouble()).isEqualTo(0.875);
    assertThat(json.get(1).has("val_f1_macro")).isFalse();
    assertThat(h.series("val_f1_macro")[0]).isEqualTo(0.75);
  }
}
