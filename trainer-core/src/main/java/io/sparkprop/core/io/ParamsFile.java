package io.sparkprop.core.io;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The binary parameter file {@code params.bin}, format version 1. Every number is
 * <b>big-endian</b> (Java's {@code DataOutput}, network order; NumPy dtype {@code '>f4'} for the data):
 * <pre>
 * magic        8 bytes   "SPRKPRM\0" (ASCII, then a zero byte)
 * version      int32     1
 * tensors      int32     T, then T entries in layout order:
 *   layer      int32       index of the owning layer in the architecture
 *   name       UTF         int16 byte length + bytes ("kernel", "bias"; DataOutput.writeUTF)
 *   trainable  int8        1 = trainable, 0 = layer state
 *   rank       int32       R, then R int32 dimensions (Dense kernel [in, out])
 * count        int64     N = number of floats = sum of the tensor sizes
 * data         N float32 IEEE 754, the flat parameter vector in layout order
 * crc32        int32     CRC32 (java.util.zip, as zlib's crc32) of the N·4 data bytes
 * </pre>
 * and nothing after. Reading checks each of these and fails with a {@link FileFormatException}
 * naming the file, the problem and the byte offset where it was found ({@code "at byte 12"}).
 */
public final class ParamsFile {
  /** The 8 magic bytes. */
  static final byte[] MAGIC = "SPRKPRM\0".getBytes(StandardCharsets.US_ASCII);
  /** The version this build writes. */
  public static final int VERSION = 1;
  private static final int CHUNK_FLOATS = 16 * 1024;
  private static final int MAX_TENSORS = 1 << 20;
  private static final int MAX_RANK = 16;

  private ParamsFile() {
  }

  /** Writes {@code params} laid out as {@code layout} to {@code out} (flushed, not closed). */
  public static void write(float[] params, ParamLayout layout, OutputStream out) throws IOException {
    if (params.length != layout.size()) {
      throw new IllegalArgumentException("the layout holds " + layout.size() + " floats, got " + params.length);
    }
    DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
    d.write(MAGIC);
    d.writeInt(VERSION);
    d.writeInt(layout.entries().size());
    for (ParamLayout.Entry e : layout.entries()) {
      d.writeInt(e.layer());
      d.writeUTF(e.spec().name());
      d.writeByte(e.spec().trainable() ? 1 : 0);
      int[] dims = e.spec().shape().dims();
      d.writeInt(dims.length);
      for (int x : dims) {
        d.writeInt(x);
      }
    }
    d.writeLong(params.length);
    CRC32 crc = new CRC32();
    writeFloats(params, d, crc);
    d.writeInt((int) crc.getValue());
    d.flush();
  }

  /**
   * Writes {@code a} as big-endian float32 (the data section's encoding) to {@code out}, adding
   * the bytes to {@code crc} when it is not null. Other binary formats (checkpoints) use it too.
   */
  public static void writeFloats(float[] a, OutputStream out, CRC32 crc) throws IOException {
    byte[] bytes = new byte[Math.min(Math.max(a.length, 1), CHUNK_FLOATS) * 4];
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    for (int from = 0; from < a.length; from += CHUNK_FLOATS) {
      int n = Math.min(CHUNK_FLOATS, a.length - from);
      buf.clear();
      buf.asFloatBuffer().put(a, from, n);
      if (crc != null) {
        crc.update(bytes, 0, n * 4);
      }
      out.write(bytes, 0, n * 4);
    }
  }

  /** Fills {@code a} with big-endian float32 read from {@code in}; a short input is an {@link EOFException}. */
  public static void readFloats(DataInput in, float[] a) throws IOException {
    byte[] bytes = new byte[Math.min(Math.max(a.length, 1), CHUNK_FLOATS) * 4];
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    for (int from = 0; from < a.length; from += CHUNK_FLOATS) {
      int n = Math.min(CHUNK_FLOATS, a.length - from);
      in.readFully(bytes, 0, n * 4);
      buf.clear();
      buf.asFloatBuffer().get(a, from, n);
    }
  }

  /** CRC32 of {@code params} as written in the file (big-endian float32 bytes). */
  public static long crc32(float[] params) {
    CRC32 crc = new CRC32();
    ByteBuffer buf = ByteBuffer.allocate(CHUNK_FLOATS * 4).order(ByteOrder.BIG_ENDIAN);
    for (int from = 0; from < params.length; from += CHUNK_FLOATS) {
      int n = Math.min(CHUNK_FLOATS, params.length - from);
      buf.clear();
      buf.asFloatBuffer().put(params, from, n);
      crc.update(buf.array(), 0, n * 4);
    }
    return crc.getValue();
  }

  /**
   * Reads a parameter vector from {@code in} (read to its end, not closed) and checks that its
   * tensors are exactly those of {@code expected}; {@code source} names the file in errors.
   */
  public static float[] read(InputStream in, ParamLayout expected, String source) throws IOException {
    Counting c = new Counting(new BufferedInputStream(in, 1 << 16));
    DataInputStream d = new DataInputStream(c);
    byte[] magic = new byte[MAGIC.length];
    int got = d.readNBytes(magic, 0, magic.length);
    if (got < magic.length || !Arrays.equals(magic, MAGIC)) {
      throw new FileFormatException(source, "not a sparkprop parameter file: it starts with "
          + hex(magic, got) + ", expected the magic bytes " + hex(MAGIC, MAGIC.length) + " (\"SPRKPRM\\0\")");
    }
    List<String> layout;
    long count;
    long countAt;
    try {
      int version = d.readInt();
      if (version != VERSION) {
        throw new FileFormatException(source, "format version " + version
            + " is not supported (this build reads version " + VERSION + ") (at byte 8)");
      }
      layout = readLayout(d, c, expected, source);
      countAt = c.offset;
      count = d.readLong();
    } catch (EOFException e) {
      throw new FileFormatException(source, "truncated: the file ends inside its header (at byte " + c.offset + ")",
          e);
    }
    if (count != expected.size()) {
      throw new FileFormatException(source, "the header says " + count + " floats but its tensors hold "
          + expected.size() + " (at byte " + countAt + ")");
    }
    float[] params = new float[(int) count];
    long dataAt = c.offset;
    long crc = readData(d, params, source, dataAt);
    long crcAt = c.offset;
    int stored;
    try {
      stored = d.readInt();
    } catch (EOFException e) {
      throw new FileFormatException(source, "truncated: the CRC32 after the " + count + " floats is missing (at byte "
          + crcAt + ")", e);
    }
    if (stored != (int) crc) {
      throw new FileFormatException(source, String.format("CRC mismatch: the data's CRC32 is %08x but the file "
          + "records %08x at byte %d (the file is corrupted)", crc, stored, crcAt));
    }
    if (d.read() != -1) {
      throw new FileFormatException(source, "unexpected bytes after the CRC32 at byte " + (crcAt + 4)
          + " (the file is corrupted or not a v" + VERSION + " parameter file)");
    }
    return params;
  }

  /**
   * The byte offset in a {@code params.bin} of parameter {@code index} of a vector laid out as
   * {@code layout}: the header's length plus 4 bytes per float before it.
   */
  public static long offsetOf(ParamLayout layout, int index) {
    long header = MAGIC.length + 4 + 4 + 8;
    for (ParamLayout.Entry e : layout.entries()) {
      header += 4 + 2 + e.spec().name().getBytes(StandardCharsets.UTF_8).length + 1 + 4
          + 4L * e.spec().shape().dims().length;
    }
    return header + 4L * index;
  }

  /** Counts the bytes read through it, so errors can give the offset of what they found. */
  private static final class Counting extends FilterInputStream {
    long offset;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        offset++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        offset += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long k = super.skip(n);
      offset += k;
      return k;
    }
  }

  /**
   * Reads the tensor table and checks it against {@code expected} entry by entry, so an error
   * gives the offset of the first tensor that differs.
   */
  private static List<String> readLayout(DataInputStream d, Counting c, ParamLayout expected, String source)
      throws IOException {
    long at = c.offset;
    int tensors = d.readInt();
    if (tensors < 0 || tensors > MAX_TENSORS) {
      throw new FileFormatException(source, "corrupted header: " + tensors + " tensors (at byte " + at + ")");
    }
    List<ParamLayout.Entry> entries = expected.entries();
    List<String> out = new ArrayList<>();
    for (int t = 0; t < tensors; t++) {
      at = c.offset;
      int layer = d.readInt();
      String name = d.readUTF();
      boolean trainable = d.readByte() != 0;
      long rankAt = c.offset;
      int rank = d.readInt();
      if (rank < 1 || rank > MAX_RANK) {
        throw new FileFormatException(source, "corrupted header: tensor " + t + " has rank " + rank + " (at byte "
            + rankAt + ")");
      }
      int[] dims = new int[rank];
      for (int i = 0; i < rank; i++) {
        dims[i] = d.readInt();
      }
      String have = line(layer, name, trainable, dims);
      String want = t < entries.size() ? want(entries.get(t)) : null;
      if (!have.equals(want)) {
        throw mismatch(source, t, have, want, tensors, entries.size(), at);
      }
      out.add(have);
    }
    if (tensors < entries.size()) {
      throw mismatch(source, tensors, null, want(entries.get(tensors)), tensors, entries.size(), c.offset);
    }
    return out;
  }

  private static String want(ParamLayout.Entry e) {
    TensorSpec s = e.spec();
    return line(e.layer(), s.name(), s.trainable(), s.shape().dims());
  }

  private static FileFormatException mismatch(String source, int t, String have, String want, int found,
                                              int expected, long at) {
    return new FileFormatException(source, "its tensors do not match the architecture: tensor " + t + " is "
        + (have == null ? "missing" : have) + " but the architecture has "
        + (want == null ? "no more tensors" : want) + " (file: " + found + " tensors, architecture: "
        + expected + ") (at byte " + at + ")");
  }

  private static String line(int layer, String name, boolean trainable, int[] dims) {
    return layer + "/" + name + " " + Arrays.toString(dims) + (trainable ? "" : " state");
  }

  /** Fills {@code params} from the data section; returns the CRC32 of its bytes. */
  private static long readData(DataInputStream d, float[] params, String source, long dataAt) throws IOException {
    CRC32 crc = new CRC32();
    byte[] bytes = new byte[CHUNK_FLOATS * 4];
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    long total = 0;
    for (int from = 0; from < params.length; from += CHUNK_FLOATS) {
      int n = Math.min(CHUNK_FLOATS, params.length - from);
      int got = d.readNBytes(bytes, 0, n * 4);
      total += got;
      if (got < n * 4) {
        throw new FileFormatException(source, "truncated: expected " + params.length + " floats, found "
            + total / 4 + " (the file ends at byte " + (dataAt + total) + ")");
      }
      crc.update(bytes, 0, got);
      buf.clear();
      buf.asFloatBuffer().get(params, from, n);
    }
    return crc.getValue();
  }

  private static String hex(byte[] b, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(String.format("%02x", b[i] & 0xff));
    }
    return n == 0 ? "nothing (empty file)" : s.toString();
  }
}
