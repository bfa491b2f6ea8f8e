package io.sparkprop.core.model;

import io.sparkprop.core.layer.Embedding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which rows of a model's embedding tables a gradient buffer holds, so that the buffer can be
 * zeroed, sent and summed row by row instead of as the whole table. A batch of 64 texts touches a
 * few thousand of a 20,000-word table's rows; every other row of the table's gradient is exactly
 * {@code +0.0}. Invariant kept by the users of this class: in the buffer it describes, every
 * table row not {@link #marked} is {@code +0.0}; everything outside the tables (the dense ranges)
 * is an ordinary dense gradient.
 *
 * <p>Why skipping unmarked rows gives the bits of the dense sum: a dense sum adds {@code +0.0} for
 * each unmarked row, and {@code x + (+0.0) = x} for every float except {@code x = −0.0}. A row
 * value starts as {@code +0.0} (zeroed buffer) and only has floats added to it; in
 * round-to-nearest a sum is {@code −0.0} only when both terms are, so no row value and no
 * partial sum of them is ever {@code −0.0}.
 *
 * <p>The marks are one bitset per table, so the marked ids come out in ascending order
 * ({@link #next}) without sorting or allocation. Not thread-safe: one per gradient buffer.
 */
public final class SparseRows {
  private final int length;
  private final int[] offsets;
  private final int[] rows;
  private final int[] dims;
  private final long[][] bits;
  private final int[] counts;
  private final int[] dense;

  /**
   * Tables at {@code offsets[k]} of {@code rows[k]} rows of {@code dims[k]} floats in a vector of
   * {@code length} floats (ascending, non-overlapping).
   *
   * @throws IllegalArgumentException when the tables do not fit the vector in that order
   */
  public SparseRows(int length, int[] offsets, int[] rows, int[] dims) {
    if (offsets.length != rows.length || offsets.length != dims.length) {
      throw new IllegalArgumentException("sparse rows: " + offsets.length + " offsets, " + rows.length + " row counts, "
          + dims.length + " widths");
    }
    this.length = length;
    this.offsets = offsets.clone();
    this.rows = rows.clone();
    this.dims = dims.clone();
    this.bits = new long[offsets.length][];
    this.counts = new int[offsets.length];
    this.dense = new int[2 * offsets.length + 2];
    int at = 0;
    for (int k = 0; k < offsets.length; k++) {
      if (rows[k] <= 0 || dims[k] <= 0 || offsets[k] < at || (long) offsets[k] + (long) rows[k] * dims[k] > length) {
        throw new IllegalArgumentException("sparse rows: table " + k + " (" + rows[k] + " x " + dims[k] + " at "
            + offsets[k] + ") does not fit a vector of " + length + " floats after offset " + at);
      }
      bits[k] = new long[(rows[k] + 63) >>> 6];
      dense[2 * k] = at;
      dense[2 * k + 1] = offsets[k];
      at = offsets[k] + rows[k] * dims[k];
    }
    dense[2 * offsets.length] = at;
    dense[2 * offsets.length + 1] = length;
  }

  /** The rows of {@code architecture}'s {@link Embedding} tables, or null when it has none. */
  public static SparseRows of(Sequential architecture) {
    ParamLayout layout = architecture.layout();
    List<int[]> tables = new ArrayList<>();
    for (int l = 0; l < architecture.layers().size(); l++) {
      if (architecture.layers().get(l) instanceof Embedding e) {
        tables.add(new int[] {layout.offset(l, "embeddings"), e.inputDim(), e.outputDim()});
      }
    }
    if (tables.isEmpty()) {
      return null;
    }
    int n = tables.size();
    int[] o = new int[n];
    int[] r = new int[n];
    int[] d = new int[n];
    for (int k = 0; k < n; k++) {
      o[k] = tables.get(k)[0];
      r[k] = tables.get(k)[1];
      d[k] = tables.get(k)[2];
    }
    return new SparseRows(layout.size(), o, r, d);
  }

  /** A new instance for the same tables, nothing marked. */
  public SparseRows copyLayout() {
    return new SparseRows(length, offsets, rows, dims);
  }

  /** True when {@code o} describes the same vector length and tables. */
  public boolean sameLayout(SparseRows o) {
    return o != null && length == o.length && Arrays.equals(offsets, o.offsets) && Arrays.equals(rows, o.rows)
        && Arrays.equals(dims, o.dims);
  }

  /** Length of the gradient vector described. */
  public int length() {
    return length;
  }

  /** Number of tables. */
  public int tables() {
    return offsets.length;
  }

  /** Index of the table starting at {@code offset}, or −1. */
  public int table(int offset) {
    for (int k = 0; k < offsets.length; k++) {
      if (offsets[k] == offset) {
        return k;
      }
    }
    return -1;
  }

  /** First float of table {@code k}. */
  public int offset(int k) {
    return offsets[k];
  }

  /** Rows of table {@code k}. */
  public int rows(int k) {
    return rows[k];
  }

  /** Floats per row of table {@code k}. */
  public int dim(int k) {
    return dims[k];
  }

  /** Marked rows of table {@code k}. */
  public int count(int k) {
    return counts[k];
  }

  /**
   * Pairs {@code [from0, to0, from1, to1, ...]} of the ranges outside the tables (some may be
   * empty); the array is shared, do not change it.
   */
  public int[] denseRanges() {
    return dense;
  }

  /** Marks row {@code id} of table {@code k} (in range: the caller has checked the id). */
  public void mark(int k, int id) {
    long[] b = bits[k];
    long bit = 1L << id;
    int w = id >>> 6;
    if ((b[w] & bit) == 0) {
      b[w] |= bit;
      counts[k]++;
    }
  }

  /** Marks every row of table {@code k}. */
  public void markAll(int k) {
    Arrays.fill(bits[k], -1L);
    int tail = rows[k] & 63;
    if (tail != 0) {
      bits[k][bits[k].length - 1] = (1L << tail) - 1;
    }
    counts[k] = rows[k];
  }

  /** True when row {@code id} of table {@code k} is marked. */
  public boolean marked(int k, int id) {
    return (bits[k][id >>> 6] & (1L << id)) != 0;
  }

  /** The smallest marked row id of table {@code k} that is at least {@code from}, or −1. */
  public int next(int k, int from) {
    long[] b = bits[k];
    int w = from >>> 6;
    if (w >= b.length) {
      return -1;
    }
    long word = b[w] & (-1L << from);
    while (true) {
      if (word != 0) {
        return (w << 6) + Long.numberOfTrailingZeros(word);
      }
      if (++w == b.length) {
        return -1;
      }
      word = b[w];
    }
  }

  /** Zeroes the marked rows in {@code grad} and clears the marks; the dense ranges are left as they are. */
  public void clearRows(float[] grad) {
    for (int k = 0; k < offsets.length; k++) {
      int d = dims[k];
      for (int id = next(k, 0); id >= 0; id = next(k, id + 1)) {
        int at = offsets[k] + id * d;
        Arrays.fill(grad, at, at + d, 0f);
      }
      Arrays.fill(bits[k], 0L);
      counts[k] = 0;
    }
  }

  /** Zeroes {@code grad} (a buffer this instance describes): the dense ranges and the marked rows; clears the marks. */
  public void zero(float[] grad) {
    for (int r = 0; r < dense.length; r += 2) {
      Arrays.fill(grad, dense[r], dense[r + 1], 0f);
    }
    clearRows(grad);
  }

  /** Marks exactly {@code src}'s rows (same layout). */
  public void setMarks(SparseRows src) {
    for (int k = 0; k < offsets.length; k++) {
      System.arraycopy(src.bits[k], 0, bits[k], 0, bits[k].length);
      counts[k] = src.counts[k];
    }
  }

  /** Marks in {@code src}'s rows as well (same layout). */
  public void markAll(SparseRows src) {
    for (int k = 0; k < offsets.length; k++) {
      long[] b = bits[k];
      long[] s = src.bits[k];
      int c = 0;
      for (int w = 0; w < b.length; w++) {
        b[w] |= s[w];
        c += Long.bitCount(b[w]);
      }
      counts[k] = c;
    }
  }
}
