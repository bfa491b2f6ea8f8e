package io.sparkprop.core.layer;

import io.sparkprop.core.model.SparseRows;
import java.util.Arrays;

/**
 * The maths of {@link Embedding}: a row copy forward, a scatter-add backward that touches only the
 * rows of the batch's ids and, when the pass asks ({@link Backward#rows()}), records them, so the
 * caller can zero, send and sum those rows instead of the whole table.
 */
final class EmbeddingModel implements LayerModel {
  private final int steps;
  private final int vocab;
  private final int dim;
  private final int table;

  EmbeddingModel(int steps, int vocab, int dim, int tableOffset) {
    this.steps = steps;
    this.vocab = vocab;
    this.dim = dim;
    this.table = tableOffset;
  }

  /** y[r, t] = E[id(r, t)] on real steps, 0 on padding. */
  @Override
  public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
    int[] ids = pass.ids();
    int[] lengths = pass.lengths();
    for (int r = 0; r < batch; r++) {
      int len = lengths == null ? steps : lengths[r];
      for (int t = 0; t < steps; t++) {
        int o = (r * steps + t) * dim;
        if (t >= len) {
          Arrays.fill(y, o, o + dim, 0f);
          continue;
        }
        int id = id(ids, x, r * steps + t);
        System.arraycopy(params, table + id * dim, y, o, dim);
      }
    }
  }

  /** dE[id(r, t)] += dy[r, t] on real steps (repeated ids add up); ids have no gradient. */
  @Override
  public void backward(Backward b) {
    int[] ids = b.pass().ids();
    int[] lengths = b.pass().lengths();
    float[] dy = b.outputGrad();
    float[] grads = b.paramGrads();
    int batch = b.batch();
    SparseRows rows = b.rows();
    int k = rows == null ? -1 : rows.table(table);
    for (int r = 0; r < batch; r++) {
      int len = lengths == null ? steps : lengths[r];
      for (int t = 0; t < len; t++) {
        int o = (r * steps + t) * dim;
        int id = id(ids, b.input(), r * steps + t);
        int g = table + id * dim;
        for (int j = 0; j < dim; j++) {
          grads[g + j] += dy[o + j];
        }
        if (k >= 0) {
          rows.mark(k, id);
        }
      }
    }
    if (b.inputGrad() != null) {
      Arrays.fill(b.inputGrad(), 0, batch * steps, 0f);
    }
  }

  private int id(int[] ids, float[] x, int i) {
    int id = ids != null ? ids[i] : Math.round(x[i]);
    if (id < 0 || id >= vocab) {
      throw new IllegalArgumentException("token id " + id + " is outside the embedding's vocabulary [0, " + vocab
          + ")");
    }
    return id;
  }
}
