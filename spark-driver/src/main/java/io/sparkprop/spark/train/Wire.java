package io.sparkprop.spark.train;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Where a {@link StepResult}'s gradient is written to and read from: Java serialisation in jobs
 * mode ({@link Chunks}) or a barrier channel {@link Frame}. One encoder and decoder
 * ({@link StepResult#writeGradient}, {@link StepResult#readGradient}) serve both.
 */
final class Wire {
  private static final int CHUNK = 16 * 1024;
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[CHUNK * Float.BYTES]);

  private Wire() {
  }

  /** A sink of ints and float ranges. */
  interface Out {
    void putInt(int v) throws IOException;

    void putFloats(float[] a, int from, int n) throws IOException;
  }

  /** A source of ints and float ranges. */
  interface In {
    int getInt() throws IOException;

    void getFloats(float[] a, int from, int n) throws IOException;
  }

  /** The wire form over Java serialisation: ints as they are, floats through a 64 KiB little-endian chunk. */
  static final class Chunks implements Out, In {
    private final ObjectOutput out;
    private final ObjectInput in;
    private final byte[] buf = SCRATCH.get();
    private final FloatBuffer fb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    private int pending;

    Chunks(ObjectOutput out, ObjectInput in) {
      this.out = out;
      this.in = in;
    }

    @Override
    public void putInt(int v) throws IOException {
      flush();
      out.writeInt(v);
    }

    @Override
    public void putFloats(float[] a, int from, int n) throws IOException {
      while (n > 0) {
        int k = Math.min(n, CHUNK - pending);
        fb.clear();
        fb.position(pending);
        fb.put(a, from, k);
        pending += k;
        from += k;
        n -= k;
        if (pending == CHUNK) {
          flush();
        }
      }
    }

    void flush() throws IOException {
      if (pending > 0) {
        out.write(buf, 0, pending * Float.BYTES);
        pending = 0;
      }
    }

    @Override
    public int getInt() throws IOException {
      return in.readInt();
    }

    @Override
    public void getFloats(float[] a, int from, int n) throws IOException {
      while (n > 0) {
        int k = Math.min(n, CHUNK);
        in.readFully(buf, 0, k * Float.BYTES);
        fb.clear();
        fb.get(a, from, k);
        from += k;
        n -= k;
      }
    }
  }
}
