package io.sparkprop.core.optim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 14: early stopping and plateau schedules may monitor the new metrics, in the right direction. */
class MonitorModeTest {
  @Test
  void scoresGoUpAndErrorsGoDown() {
    for (String up : new String[] {"val_accuracy", "val_acc", "val_top_5_accuracy", "val_f1_macro",
        "val_precision_weighted", "val_recall_macro", "val_roc_auc", "val_pr_auc", "val_r2"}) {
      assertThat(MonitorMode.of(up)).as(up).isEqualTo(MonitorMode.MAX);
    }
    for (String down : new String[] {"loss", "val_loss", "val_log_loss", "val_mse", "val_rmse", "val_mae"}) {
      assertThat(MonitorMode.of(down)).as(down).isEqualTo(MonitorMode.MIN);
    }
  }
}
