package io.sparkprop.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What early stopping tells the listeners: the epoch it stopped at and the epoch whose weights the model has. */
class StopSummaryTest {

  @Test
  void stoppedRunNamesTheLastAndTheRestoredEpoch() {
    Model m = Model.init(TrainerTest.mlp(), new SoftmaxCrossEntropy(), 1);
    TrainingConfig cfg = TrainerTest.config().withEpochs(50).withOptimizer(new Adam(0.05))
        .withEarlyStopping(new EarlyStopping("val_loss", 2, 0.0, true));
    DataSet val = TrainerTest.blobs(200, 12);
    List<StopSummary> seen = new ArrayList<>();
    Trainer t = new Trainer(cfg).addListener(new TrainingListener() {
      @Override
      public void onEarlyStopping(StopSummary s) {
        seen.add(s);
      }
    });
    History h = t.fit(m, TrainerTest.blobs(300, 11), val);
    assertThat(seen).hasSize(1);
    StopSummary s = seen.get(0);
    int last = h.epochs().size();
    assertThat(s.stopped()).isTrue();
    assertThat(s.lastEpoch()).isEqualTo(last).isLessThan(50);
    // patience 2: the best epoch is the one two before the last, and its val_loss is the lowest
    assertThat(s.bestEpoch()).isEqualTo(last - 2);
    assertThat(s.best()).isEqualTo(h.epochs().get(last - 3).valLoss());
    assertThat(s.restored()).isTrue();
    assertThat(m.evaluate(val).meanLoss()).isEqualTo(s.best());
    assertThat(s.message()).isEqualTo(String.format(java.util.Locale.ROOT, "early stopping: val_loss did not improve "
        + "for 2 epochs; stopped after epoch %d of 50; restored the weights of epoch %d (val_loss %.4f)", last, last - 2,
        s.best()));
  }

  @Test
  void messagesOfARunThatRanAllEpochsAndOfOneThatKeptItsLastWeights() {
    assertThat(new StopSummary("val_accuracy", 1, 10, 10, false, 7, 0.91234, false).message()).isEqualTo(
        "early stopping: ran all 10 epochs; kept the weights of epoch 10, the best was epoch 7 (val_accuracy 0.9123)");
    assertThat(new StopSummary("loss", 1, 4, 10, true, 3, 0.5, false).message()).isEqualTo(
        "early stopping: loss did not improve for 1 epoch; stopped after epoch 4 of 10; kept the weights of epoch 4,"
        + " the best was epoch 3 (loss 0.5000)");
  }

  @Test
  void noSummaryWithoutEarlyStopping() {
    List<StopSummary> seen = new ArrayList<>();
    new Trainer(TrainerTest.config().withEpochs(1)).addListener(new TrainingListener() {
      @Override
      public void onEarlyStopping(StopSummary s) {
        seen.add(s);
      }
    }).fit(Model.init(TrainerTest.mlp(), new SoftmaxCrossEntropy(), 1), TrainerTest.blobs(50, 1), null);
    assertThat(seen).isEmpty();
  }
}
