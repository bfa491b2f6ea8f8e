package io.sparkprop.spark.train;

import io.sparkprop.core.loss.LossSums;
import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * One partition's (or a partial sum's) share of a step: the gradient summed over its samples,
 * the loss sums (with the summed sample weights, by which the step divides), and the longest compute time among the partitions summed in. A partition
 * without samples in the step sends no gradient ({@code grad == null}). Serialised as raw
 * little-endian float bytes, in 64 KiB chunks, rather than through Java's per-element array
 * writer. Mutable: {@link #plusInPlace} adds into the left operand.
 */
final class StepResult implements Externalizable {
  private static final long serialVersionUID = 1L;
  private static final int CHUNK = 16 * 1024;
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[CHUNK * Float.BYTES]);
  float[] grad;
  double lossSum;
  long count;
  long correct;
  double weight;
  long computeNanos;

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
      for (int i = 0; i < g.length; i++) {
        g[i] += h[i];
      }
    }
    a.add(b);
    return a;
  }

  private void add(StepResult o) {
    lossSum += o.lossSum;
    count += o.count;
    correct += o.correct;
    weight += o.weight;
    computeNanos = Math.max(computeNanos, o.computeNanos);
  }

  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    out.writeDouble(lossSum);
    out.writeLong(count);
    out.writeLong(correct);
    out.writeDouble(weight);
    out.writeLong(computeNanos);
    if (grad == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(grad.length);
    byte[] buf = SCRATCH.get();
    FloatBuffer fb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    for (int from = 0; from < grad.length; from += CHUNK) {
      int n = Math.min(CHUNK, grad.length - from);
      fb.clear();
      fb.put(grad, from, n);
      out.write(buf, 0, n * Float.BYTES);
    }
  }

  @Override
  public void readExternal(ObjectInput in) throws IOException {
    lossSum = in.readDouble();
    count = in.readLong();
    correct = in.readLong();
    weight = in.readDouble();
    computeNanos = in.readLong();
    int len = in.readInt();
    if (len < 0) {
      grad = null;
      return;
    }
    grad = new float[len];
    byte[] buf = SCRATCH.get();
    FloatBuffer fb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    for (int from = 0; from < len; from += CHUNK) {
      int n = Math.min(CHUNK, len - from);
      in.readFully(buf, 0, n * Float.BYTES);
      fb.clear();
      fb.get(grad, from, n);
    }
  }
}
