package io.sparkprop.spark.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.optim.OptimizerState;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointCodecTest {

  static Checkpoint sample() {
    float[] p = new float[20000];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) Math.sin(i) * 3;
    }
    float[][] slots = {p.clone(), new float[p.length]};
    slots[1][7] = 1e-30f;
    History h = new History(List.of(
        new EpochLog(1, 0.9, 0.6, Double.NaN, Double.NaN, 1e-3, 1.5, 800, new double[] {0.1, 0.2, 0.3, 0.4}),
        new EpochLog(2, 0.5, 0.8, 0.55, 0.79, 5e-4, 1.25, 800, new double[] {0.1, 0.2, 0.3, 0.05})));
    TrainingState s = new TrainingState(new OptimizerState(14, slots), h);
    s.restore(new TrainingState.Counters(2, 14, 14, 0.5, 0.55, 1, 0.79, 2, 0), new float[] {1, 2, Float.NaN});
    return new Checkpoint(42, "{\"inputShape\":[2]}", p, s);
  }

  static byte[] bytes(Checkpoint c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CheckpointCodec.write(c, out);
    return out.toByteArray();
  }

  @Test
  void roundTripsEveryField() throws IOException {
    Checkpoint c = sample();
    Checkpoint back = CheckpointCodec.read(new ByteArrayInputStream(bytes(c)), "mem");
    assertThat(back.seed()).isEqualTo(42);
    assertThat(back.architectureJson()).isEqualTo(c.architectureJson());
    assertThat(back.params()).containsExactly(c.params());
    assertThat(back.state().counters()).isEqualTo(c.state().counters());
    assertThat(back.state().optimizer().slot(0)).containsExactly(c.state().optimizer().slot(0));
    assertThat(back.state().optimizer().slot(1)).containsExactly(c.state().optimizer().slot(1));
    assertThat(back.state().bestParams()).containsExactly(1, 2, Float.NaN);
    List<EpochLog> e = back.state().history().epochs();
    assertThat(e).hasSize(2);
    assertThat(e.get(0).valLoss()).isNaN();
    assertThat(e.get(1).phaseSeconds()).containsExactly(0.1, 0.2, 0.3, 0.05);
    assertThat(e.get(1)).usingRecursiveComparison().isEqualTo(c.state().history().epochs().get(1));
  }

  @Test
  void truncatedOrCorruptFilesAreRefused() throws IOException {
    byte[] b = bytes(sample());
    assertThatThrownBy(() -> CheckpointCodec.read(new ByteArrayInputStream(Arrays.copyOf(b, b.length - 9)), "cp"))
        .isInstanceOf(IOException.class).hasMessage("cp: checkpoint is truncated");
    byte[] flipped = b.clone();
    flipped[500] ^= 1;
    assertThatThrownBy(() -> CheckpointCodec.read(new ByteArrayInputStream(flipped), "cp"))
        .hasMessage("cp: checkpoint is corrupt (CRC mismatch)");
    assertThatThrownBy(() -> CheckpointCodec.read(new ByteArrayInputStream("hello world!".getBytes()), "cp"))
        .hasMessageContaining("not a sparkprop checkpoint");
  }

  /** Version 2 keeps each epoch's validation metrics; a version 1 file (written by the previous build) still reads. */
  @Test
  void validationMetricsSurviveAndVersion1StillReads() throws Exception {
    Checkpoint c = sample();
    java.util.List<EpochLog> logs = new java.util.ArrayList<>();
    for (EpochLog e : c.state().history().epochs()) {
      logs.add(new EpochLog(e.epoch(), e.loss(), e.accuracy(), e.valLoss(), e.valAccuracy(), e.learningRate(),
          e.seconds(), e.samples(), e.phaseSeconds(), java.util.Map.of("f1_macro", 0.5 + e.epoch())));
    }
    io.sparkprop.core.train.TrainingState s = new io.sparkprop.core.train.TrainingState(c.state().optimizer(),
        new io.sparkprop.core.train.History(logs));
    s.restore(c.state().counters(), c.state().bestParams());
    Checkpoint back = CheckpointCodec.read(new ByteArrayInputStream(bytes(new Checkpoint(c.seed(),
        c.architectureJson(), c.params(), s))), "mem");
    assertThat(back.state().history().series("val_f1_macro")).containsExactly(1.5, 2.5);

    try (java.io.InputStream in = CheckpointCodecTest.class.getResourceAsStream("/checkpoints/v1-sample.ckpt")) {
      Checkpoint v1 = CheckpointCodec.read(in, "v1-sample.ckpt");
      assertThat(v1.params()).containsExactly(c.params());
      assertThat(v1.state().counters()).isEqualTo(c.state().counters());
      assertThat(v1.state().history().last().valMetrics()).isEmpty();
    }
  }
}
