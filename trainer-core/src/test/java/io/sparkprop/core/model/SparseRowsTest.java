package io.sparkprop.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.LSTM;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.PartitionWorker;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The embedding's record of touched rows: a backward pass that records them adds the same floats
 * as one that does not, marks exactly the rows of the real (unpadded) steps, and zeroing only the
 * dense ranges and those rows leaves the buffer all +0.0.
 */
class SparseRowsTest {

  @Test
  void recordedRowsAreExactlyTheIdsOfTheRealStepsAndZeroingThemClearsTheBuffer() {
    int vocab = 150;
    int steps = 5;
    int n = 24;
    Rng rng = new Rng(3);
    int[] ids = new int[n * steps];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int len = 1 + rng.nextInt(steps);
      for (int t = 0; t < len; t++) {
        ids[i * steps + t] = t == 1 ? 0 : 1 + rng.nextInt(vocab - 1); // id 0 inside a sequence
      }
      ids[i * steps + len - 1] = 1 + rng.nextInt(vocab - 1);
      y[i] = rng.nextInt(2);
    }
    DataSet d = DataSet.ofTokens(steps, 1, n, ids, y, null);
    Sequential arch = Sequential.of(Shape.of(steps), new Embedding(vocab, 3), new LSTM(4), new Dense(2));
    float[] p = arch.initialParams(7);
    PartitionWorker dense = new PartitionWorker(arch, new SoftmaxCrossEntropy(), d, 0, 1);
    PartitionWorker sparse = new PartitionWorker(arch, new SoftmaxCrossEntropy(), d, 0, 1);
    SparseRows rows = sparse.sparseRows();
    assertThat(rows.tables()).isEqualTo(1);
    assertThat(rows.offset(0)).isZero();
    float[] g = new float[p.length];
    float[] h = new float[p.length];
    int batches = 3;
    for (int s = 0; s < batches; s++) {
      Arrays.fill(g, 0f);
      rows.zero(h); // only the dense ranges and last step's rows
      for (float v : h) {
        assertThat(Float.floatToRawIntBits(v)).isZero();
      }
      dense.accumulate(p, 0, s, batches, g);
      sparse.accumulate(p, 0, s, batches, h, rows);
      assertThat(h).containsExactly(g);
      boolean[] used = new boolean[vocab];
      int from = PartitionWorker.sliceStart(n, s, batches);
      int to = PartitionWorker.sliceStart(n, s + 1, batches);
      int[] perm = new int[n];
      io.sparkprop.core.data.Shuffle.epochPermutation(perm, n, 1, 0, 0);
      for (int i = from; i < to; i++) {
        int r = perm[i];
        for (int t = 0; t < d.lengths()[r]; t++) {
          used[ids[r * steps + t]] = true;
        }
      }
      int count = 0;
      for (int id = 0; id < vocab; id++) {
        assertThat(rows.marked(0, id)).as("row %d", id).isEqualTo(used[id]);
        count += used[id] ? 1 : 0;
      }
      assertThat(rows.count(0)).isEqualTo(count);
      assertThat(rows.marked(0, 0)).isTrue();
    }
  }

  @Test
  void idsComeOutInAscendingOrderAcrossWords() {
    SparseRows r = new SparseRows(10 + 130 * 2, new int[] {10}, new int[] {130}, new int[] {2});
    int[] marks = {129, 0, 64, 63, 65, 127, 128, 64};
    for (int id : marks) {
      r.mark(0, id);
    }
    int[] seen = new int[8];
    int k = 0;
    for (int id = r.next(0, 0); id >= 0; id = r.next(0, id + 1)) {
      seen[k++] = id;
    }
    assertThat(Arrays.copyOf(seen, k)).containsExactly(0, 63, 64, 65, 127, 128, 129);
    assertThat(r.count(0)).isEqualTo(7);
    assertThat(r.next(0, 130)).isEqualTo(-1);
    assertThat(r.denseRanges()).containsExactly(0, 10, 270, 270);
    r.markAll(0);
    assertThat(r.count(0)).isEqualTo(130);
    assertThat(r.next(0, 129)).isEqualTo(129);
    assertThat(r.next(0, 130)).isEqualTo(-1);
    float[] g = new float[270];
    Arrays.fill(g, 1f);
    r.zero(g);
    assertThat(g).containsOnly(0f);
    assertThat(r.count(0)).isZero();
    assertThat(r.next(0, 0)).isEqualTo(-1);
  }

  @Test
  void tablesMustFitTheVector() {
    assertThatThrownBy(() -> new SparseRows(100, new int[] {10}, new int[] {40}, new int[] {3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sparse rows: table 0 (40 x 3 at 10) does not fit a vector of 100 floats after offset 0");
    assertThat(SparseRows.of(Sequential.of(Shape.of(4), new Dense(2)))).isNull();
  }
}
