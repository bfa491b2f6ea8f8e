package io.sparkprop.spark.train;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.model.SparseRows;
import io.sparkprop.core.train.PartitionWorker;
import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.util.Arrays;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * One partition's (or a partial sum's) share of a step: the gradient summed over its samples,
 * the loss sums (with the summed sample weights, by which the step divides), and the longest
 * compute time among the partitions summed in. A partition without samples in the step sends no
 * gradient ({@code grad == null}).
 *
 * <p>The gradient is a dense vector; when {@link #rows} is set, the rows of the model's embedding
 * tables that it does not mark are exactly {@code +0.0}, and the result is zeroed, sent and added
 * row by row: a batch of texts touches a few thousand rows of a 20,000-row table, so the message
 * shrinks from the whole vector to the dense layers plus those rows. Skipping the unmarked rows
 * gives the dense sums' bits ({@link SparseRows} says why). The wire form, shared by Java
 * serialisation (jobs mode) and the barrier channel's frames ({@link Wire}): the
 * length n (−1: no gradient), the table count T (0: dense), T × (offset, rows, width), per table
 * the row count c and c ascending row ids (c = −1: the whole table as one block, when the ids
 * would cost more than they save), then the floats outside the tables, then each table's rows.
 * Floats are raw little-endian bytes in 64 KiB chunks. Mutable: {@link #plusInPlace} adds into
 * the left operand.
 */
final class StepResult implements Externalizable {
  private static final long serialVersionUID = 1L;
  /** See {@link SparkTraining#SPARSE_GRADIENTS}. */
  static final String SPARSE = "spark.sparkprop.gradient.sparse";
  float[] grad;
  /** The embedding rows {@link #grad} holds, or null when it is dense throughout. */
  SparseRows rows;
  double lossSum;
  long count;
  long correct;
  double weight;
  long computeNanos;
  /** Buffers {@link #read} and {@link #copyFrom} reuse; {@code bufferRows} marks what {@code buffer} holds. */
  private float[] buffer;
  private SparseRows bufferRows;
  private int[] header;

  /** Empty (also used by deserialisation). */
  public StepResult() {
  }

  /** The loss sums (the summed sample weights are the count when unweighted). */
  public LossSums sums() {
    return new LossSums(lossSum, count, correct, weight);
  }

  /** The gradient sum, or null when no sample contributed. */
  public float[] grad() {
    return grad;
  }

  /** Longest compute time of a contributing partition, in nanoseconds. */
  public long computeNanos() {
    return computeNanos;
  }

  /**
   * Whether this task sends embedding gradients as rows: the local property or Spark setting
   * {@link #SPARSE} ({@code true} unless set to {@code false}).
   */
  static boolean sparseWanted() {
    TaskContext tc = TaskContext.get();
    String v = tc == null ? null : tc.getLocalProperty(SPARSE);
    if (v == null && SparkEnv.get() != null) {
      v = SparkEnv.get().conf().get(SPARSE, null);
    }
    return v == null || !v.trim().equalsIgnoreCase("false");
  }

  /**
   * Makes {@link #grad} a zero vector of {@code length} floats for worker {@code w}'s next
   * step, recording touched embedding rows when {@code sparse} (and the model has a table).
   * Zeroes only the dense ranges and the rows marked last step, not whole tables.
   */
  void zeroFor(PartitionWorker w, int length, boolean sparse) {
    if (grad == null || grad.length != length) {
      grad = new float[length];
      rows = sparse ? w.sparseRows() : null;
    } else if (sparse && rows != null) {
      rows.zero(grad);
    } else {
      Arrays.fill(grad, 0f);
      rows = sparse ? w.sparseRows() : null;
    }
  }

  /** {@code a + b}, computed into {@code a} when both carry a gradient. */
  public static StepResult plusInPlace(StepResult a, StepResult b) {
    if (a.grad == null) {
      b.add(a);
      return b;
    }
    if (b.grad != null) {
      float[] g = a.grad;
      float[] h = b.grad;
      if (g.length != h.length) {
        throw new IllegalStateException("gradients of different lengths: " + g.length + " and " + h.length);
      }
      if (b.rows == null) {
        for (int i = 0; i < g.length; i++) {
          g[i] += h[i];
        }
        a.rows = null; // a is dense from here on (its unmarked rows may now be non-zero)
      } else {
        if (a.rows != null && !a.rows.sameLayout(b.rows)) {
          throw new IllegalStateException("gradients of different embedding layouts");
        }
        b.addRowsInto(g, false, a.rows);
      }
    }
    a.add(b);
    return a;
  }

  /**
   * Adds the gradient into {@code g} ({@code overwrite}: copies it, zeroing the unmarked rows),
   * the same floats as the dense {@code g[i] += grad[i]}; marks the rows added in {@code marks}
   * (may be null). Requires {@link #grad}.
   */
  void addInto(float[] g, boolean overwrite) {
    if (rows == null) {
      if (overwrite) {
        System.arraycopy(grad, 0, g, 0, g.length);
      } else {
        for (int i = 0; i < g.length; i++) {
          g[i] += grad[i];
        }
      }
    } else {
      addRowsInto(g, overwrite, null);
    }
  }

  private void addRowsInto(float[] g, boolean overwrite, SparseRows marks) {
    int[] dense = rows.denseRanges();
    for (int r = 0; r < dense.length; r += 2) {
      add(grad, g, dense[r], dense[r + 1] - dense[r], overwrite);
    }
    for (int k = 0; k < rows.tables(); k++) {
      int off = rows.offset(k);
      int d = rows.dim(k);
      if (overwrite) {
        Arrays.fill(g, off, off + rows.rows(k) * d, 0f);
      }
      for (int id = rows.next(k, 0); id >= 0; id = rows.next(k, id + 1)) {
        add(grad, g, off + id * d, d, overwrite);
        if (marks != null) {
          marks.mark(k, id);
        }
      }
    }
  }

  private static void add(float[] src, float[] dst, int from, int n, boolean overwrite) {
    if (overwrite) {
      System.arraycopy(src, from, dst, from, n);
    } else {
      for (int i = from; i < from + n; i++) {
        dst[i] += src[i];
      }
    }
  }

  /** Makes this a copy of {@code r}, reusing this object's buffers. */
  void copyFrom(StepResult r) {
    lossSum = r.lossSum;
    count = r.count;
    correct = r.correct;
    weight = r.weight;
    computeNanos = r.computeNanos;
    if (r.grad == null) {
      grad = null;
      rows = null;
      return;
    }
    if (buffer == null || buffer.length != r.grad.length) {
      buffer = new float[r.grad.length];
    }
    System.arraycopy(r.grad, 0, buffer, 0, buffer.length);
    if (r.rows == null) {
      bufferRows = null;
    } else {
      if (!r.rows.sameLayout(bufferRows)) {
        bufferRows = r.rows.copyLayout();
      }
      bufferRows.setMarks(r.rows);
    }
    grad = buffer;
    rows = bufferRows;
  }

  private void add(StepResult o) {
    lossSum += o.lossSum;
    count += o.count;
    correct += o.correct;
    weight += o.weight;
    computeNanos = Math.max(computeNanos, o.computeNanos);
  }

  /** Writes the gradient part of the wire form (see the class comment). */
  void writeGradient(Wire.Out out) throws IOException {
    if (grad == null) {
      out.putInt(-1);
      return;
    }
    out.putInt(grad.length);
    int tables = rows == null ? 0 : rows.tables();
    out.putInt(tables);
    for (int k = 0; k < tables; k++) {
      out.putInt(rows.offset(k));
      out.putInt(rows.rows(k));
      out.putInt(rows.dim(k));
    }
    for (int k = 0; k < tables; k++) {
      if (asBlock(k)) {
        out.putInt(-1);
        continue;
      }
      out.putInt(rows.count(k));
      for (int id = rows.next(k, 0); id >= 0; id = rows.next(k, id + 1)) {
        out.putInt(id);
      }
    }
    if (tables == 0) {
      out.putFloats(grad, 0, grad.length);
      return;
    }
    int[] dense = rows.denseRanges();
    for (int r = 0; r < dense.length; r += 2) {
      out.putFloats(grad, dense[r], dense[r + 1] - dense[r]);
    }
    for (int k = 0; k < tables; k++) {
      int off = rows.offset(k);
      int d = rows.dim(k);
      if (asBlock(k)) {
        out.putFloats(grad, off, rows.rows(k) * d);
        continue;
      }
      for (int id = rows.next(k, 0); id >= 0; id = rows.next(k, id + 1)) {
        out.putFloats(grad, off + id * d, d);
      }
    }
  }

  /** True when table {@code k}'s ids would cost more than the untouched rows they spare. */
  private boolean asBlock(int k) {
    return (long) rows.count(k) * (rows.dim(k) + 1) >= (long) rows.rows(k) * rows.dim(k);
  }

  /**
   * Reads the gradient part of the wire form into this object's reused buffer.
   *
   * @param maxLength the longest vector the reader accepts
   * @throws IOException when the form is inconsistent (ids out of order or range, tables that do
   *     not fit)
   */
  void readGradient(Wire.In in, int maxLength) throws IOException {
    int n = in.getInt();
    if (n < 0) {
      grad = null;
      rows = null;
      return;
    }
    int tables = in.getInt();
    if (n > maxLength || tables < 0 || tables > 64) {
      throw new IOException("gradient message: " + n + " floats in " + tables + " tables, at most " + maxLength
          + " floats expected");
    }
    if (buffer == null || buffer.length != n) {
      buffer = new float[n];
      bufferRows = null;
    }
    if (tables == 0) {
      in.getFloats(buffer, 0, n);
      bufferRows = null; // the tables' rows are no longer known to be zero
      grad = buffer;
      rows = null;
      return;
    }
    if (header == null || header.length < 3 * tables) {
      header = new int[3 * 64];
    }
    boolean same = bufferRows != null && bufferRows.tables() == tables;
    for (int k = 0; k < tables; k++) {
      for (int j = 0; j < 3; j++) {
        header[3 * k + j] = in.getInt();
      }
      same = same && header[3 * k] == bufferRows.offset(k) && header[3 * k + 1] == bufferRows.rows(k)
          && header[3 * k + 2] == bufferRows.dim(k);
    }
    if (same) {
      bufferRows.clearRows(buffer);
    } else {
      int[] off = new int[tables];
      int[] rowCounts = new int[tables];
      int[] dims = new int[tables];
      for (int k = 0; k < tables; k++) {
        off[k] = header[3 * k];
        rowCounts[k] = header[3 * k + 1];
        dims[k] = header[3 * k + 2];
      }
      try {
        bufferRows = new SparseRows(n, off, rowCounts, dims);
      } catch (IllegalArgumentException e) {
        throw new IOException("gradient message: " + e.getMessage());
      }
      Arrays.fill(buffer, 0f);
    }
    for (int k = 0; k < tables; k++) {
      int c = in.getInt();
      if (c == -1) {
        bufferRows.markAll(k);
        continue;
      }
      int tableRows = bufferRows.rows(k);
      if (c < 0 || c > tableRows) {
        throw new IOException("gradient message: table " + k + " sends " + c + " of " + tableRows + " rows");
      }
      int last = -1;
      for (int i = 0; i < c; i++) {
        int id = in.getInt();
        if (id <= last || id >= tableRows) {
          throw new IOException("gradient message: row id " + id + " of table " + k + " after " + last
              + " (ascending ids below " + tableRows + " expected)");
        }
        bufferRows.mark(k, id);
        last = id;
      }
    }
    int[] dense = bufferRows.denseRanges();
    for (int r = 0; r < dense.length; r += 2) {
      in.getFloats(buffer, dense[r], dense[r + 1] - dense[r]);
    }
    for (int k = 0; k < tables; k++) {
      int off = bufferRows.offset(k);
      int d = bufferRows.dim(k);
      for (int id = bufferRows.next(k, 0); id >= 0; id = bufferRows.next(k, id + 1)) {
        in.getFloats(buffer, off + id * d, d);
      }
    }
    grad = buffer;
    rows = bufferRows;
  }

  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    out.writeDouble(lossSum);
    out.writeLong(count);
    out.writeLong(correct);
    out.writeDouble(weight);
    out.writeLong(computeNanos);
    Wire.Chunks c = new Wire.Chunks(out, null);
    writeGradient(c);
    c.flush();
  }

  @Override
  public void readExternal(ObjectInput in) throws IOException {
    lossSum = in.readDouble();
    count = in.readLong();
    correct = in.readLong();
    weight = in.readDouble();
    computeNanos = in.readLong();
    readGradient(new Wire.Chunks(null, in), Integer.MAX_VALUE);
  }
}
