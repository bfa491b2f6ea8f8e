package io.sparkprop.spark.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.model.SparseRows;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The sparse form of a step result: through Java serialisation and barrier frames it arrives as
 * the same floats, is much shorter than the dense form, and partition sums of sparse results
 * have the bits of the dense sums.
 */
class StepResultTest {
  /** A vector of 10 dense floats, a table of 100 rows × 3 at offset 10, then 5 dense floats. */
  static final int LENGTH = 10 + 300 + 5;

  static SparseRows layout() {
    return new SparseRows(LENGTH, new int[] {10}, new int[] {100}, new int[] {3});
  }

  /** A result whose table rows {@code ids} hold values from {@code seed}; everything else dense. */
  static StepResult sparse(long seed, int... ids) {
    StepResult r = new StepResult();
    r.grad = new float[LENGTH];
    r.rows = layout();
    java.util.Random rnd = new java.util.Random(seed);
    for (int i = 0; i < 10; i++) {
      r.grad[i] = (float) rnd.nextGaussian();
    }
    for (int i = 310; i < LENGTH; i++) {
      r.grad[i] = (float) rnd.nextGaussian();
    }
    for (int id : ids) {
      for (int j = 0; j < 3; j++) {
        r.grad[10 + id * 3 + j] += (float) rnd.nextGaussian();
      }
      r.rows.mark(0, id);
    }
    r.lossSum = 1.5;
    r.count = 7;
    r.correct = 3;
    r.weight = 7;
    return r;
  }

  static StepResult dense(StepResult s) {
    StepResult d = new StepResult();
    d.grad = s.grad.clone();
    d.lossSum = s.lossSum;
    d.count = s.count;
    d.correct = s.correct;
    d.weight = s.weight;
    return d;
  }

  static byte[] serialise(StepResult r) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(b)) {
      o.writeObject(r);
    }
    return b.toByteArray();
  }

  static StepResult deserialise(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (StepResult) in.readObject();
    }
  }

  @Test
  void javaSerialisationKeepsTheRowsAndIsShorter() throws Exception {
    StepResult s = sparse(1, 0, 7, 63, 64, 99);
    byte[] sparseBytes = serialise(s);
    byte[] denseBytes = serialise(dense(s));
    StepResult back = deserialise(sparseBytes);
    assertThat(back.grad).containsExactly(s.grad);
    assertThat(back.rows.count(0)).isEqualTo(5);
    assertThat(back.rows.next(0, 0)).isZero();
    assertThat(back.rows.next(0, 65)).isEqualTo(99);
    assertThat(back.sums()).isEqualTo(s.sums());
    assertThat(deserialise(denseBytes).grad).containsExactly(s.grad);
    assertThat(deserialise(denseBytes).rows).isNull();
    // 15 dense + 5 rows of 3 floats + 5 ids, against 315 floats
    assertThat(sparseBytes.length).isLessThan(denseBytes.length - 4 * 250);
  }

  @Test
  void aTableWithMostRowsTouchedTravelsAsOneBlock() throws Exception {
    int[] ids = new int[90];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i + 5;
    }
    StepResult s = sparse(2, ids);
    byte[] bytes = serialise(s);
    StepResult back = deserialise(bytes);
    assertThat(back.grad).containsExactly(s.grad);
    assertThat(back.rows.count(0)).isEqualTo(100); // the whole table, marked
    assertThat(bytes.length).isLessThan(serialise(dense(s)).length + 64);
  }

  @Test
  void barrierFramesCarryTheSameFloatsIntoAReusedResult() throws Exception {
    Frame out = new Frame(LENGTH);
    Frame in = new Frame(LENGTH);
    StepResult received = new StepResult();
    StepResult[] sent = {sparse(3, 1, 2, 3), sparse(4, 50, 2), dense(sparse(5, 9)), sparse(6, 70), new StepResult()};
    for (StepResult s : sent) {
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      out.begin(Frame.RESULT);
      s.writeGradient(out);
      out.send(wire);
      assertThat(in.receive(new ByteArrayInputStream(wire.toByteArray()))).isEqualTo(Frame.RESULT);
      received.readGradient(in, LENGTH);
      if (s.grad == null) {
        assertThat(received.grad).isNull();
      } else {
        // rows of the previous message are zero again: the floats are exactly the sent ones
        assertThat(received.grad).containsExactly(s.grad);
        assertThat(received.rows == null).isEqualTo(s.rows == null);
      }
    }
  }

  @Test
  void sparseSumsHaveTheBitsOfDenseSums() {
    // row 7 in all three, row 20 only in the second, row 0 (padding id) only in the first;
    // row 30 cancels to +0.0 between the first two
    StepResult[] parts = {sparse(7, 0, 7, 30), sparse(8, 7, 20, 30), sparse(9, 7)};
    int at = 10 + 30 * 3;
    parts[1].grad[at] = -parts[0].grad[at];
    float[] expected = parts[0].grad.clone();
    for (int p = 1; p < parts.length; p++) {
      for (int i = 0; i < LENGTH; i++) {
        expected[i] += parts[p].grad[i];
      }
    }
    float[] driver = new float[LENGTH];
    Arrays.fill(driver, Float.NaN); // the trainer's buffer holds last step's values
    for (int p = 0; p < parts.length; p++) {
      parts[p].addInto(driver, p == 0);
    }
    assertThat(driver).containsExactly(expected);
    StepResult acc = new StepResult();
    for (StepResult p : parts) {
      StepResult c = new StepResult();
      c.copyFrom(p);
      acc = StepResult.plusInPlace(acc, c);
    }
    assertThat(acc.grad).containsExactly(expected);
    assertThat(acc.rows.count(0)).isEqualTo(4);
    assertThat(Float.floatToRawIntBits(acc.grad[at])).isZero();
    assertThat(acc.count).isEqualTo(21);
  }

  @Test
  void malformedRowIdsAreRefusedWithAClearMessage() throws Exception {
    Frame f = new Frame(LENGTH);
    f.begin(Frame.RESULT);
    f.putInt(LENGTH);
    f.putInt(1);
    f.putInt(10);
    f.putInt(100);
    f.putInt(3);
    f.putInt(2);
    f.putInt(8);
    f.putInt(4); // descending
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    f.send(wire);
    Frame in = new Frame(LENGTH);
    in.receive(new ByteArrayInputStream(wire.toByteArray()));
    assertThatThrownBy(() -> new StepResult().readGradient(in, LENGTH)).isInstanceOf(IOException.class)
        .hasMessage("gradient message: row id 4 of table 0 after 8 (ascending ids below 100 expected)");
  }
}
