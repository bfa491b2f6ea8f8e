package io.sparkprop.core.io;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
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
 * naming the file and the problem.
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
    byte[] bytes = new byte[CHUNK_FLOATS * 4];
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    for (int from = 0; from < params.length; from += CHUNK_FLOATS) {
      int n = Math.min(CHUNK_FLOATS, params.length - from);
      buf.clear();
      buf.asFloatBuffer().put(params, from, n);
      crc.update(bytes, 0, n * 4);
      d.write(bytes, 0, n * 4);
    }
    d.writeInt((int) crc.getValue());
    d.flush();
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
    DataInputStream d = new DataInputStream(new BufferedInputStream(in, 1 << 16));
    byte[] magic = new byte[MAGIC.length];
    int got = d.readNBytes(magic, 0, magic.length);
    if (got < magic.length || !Arrays.equals(magic, MAGIC)) {
      throw new FileFormatException(source, "not a sparkprop parameter file: it starts with "
          + hex(magic, got) + ", expected the magic bytes " + hex(MAGIC, MAGIC.length) + " (\"SPRKPRM\\0\")");
    }
    List<String> layout;
    long count;
    try {
      int version = d.readInt();
      if (version != VERSION) {
        throw new FileFormatException(source, "format version " + version
            + " is not supported (this build reads version " + VERSION + ")");
      }
      layout = readLayout(d, source);
      count = d.readLong();
    } catch (EOFException e) {
      throw new FileFormatException(source, "truncated: the file ends inside its header", e);
    }
    checkLayout(layout, expected, source);
    if (count != expected.size()) {
      throw new FileFormatException(source, "the header says " + count + " floats but its tensors hold "
          + expected.size());
    }
    float[] params = new float[(int) count];
    long crc = readData(d, params, source);
    int stored;
    try {
      stored = d.readInt();
    } catch (EOFException e) {
      throw new FileFormatException(source, "truncated: the CRC32 after the " + count + " floats is missing", e);
    }
    if (stored != (int) crc) {
      throw new FileFormatException(source, String.format(
          "CRC mismatch: the data's CRC32 is %08x but the file records %08x (the file is corrupted)", crc, stored));
    }
    if (d.read() != -1) {
      throw new FileFormatException(source, "unexpected bytes after the CRC32 (the file is corrupted or not a v"
          + VERSION + " parameter file)");
    }
    return params;
  }

  /** One line per tensor: {@code 0/kernel [4, 8]} (plus {@code " state"} for non-trainable ones). */
  private static List<String> readLayout(DataInputStream d, String source) throws IOException {
    int tensors = d.readInt();
    if (tensors < 0 || tensors > MAX_TENSORS) {
      throw new FileFormatException(source, "corrupted header: " + tensors + " tensors");
    }
    List<String> out = new ArrayList<>();
    for (int t = 0; t < tensors; t++) {
      int layer = d.readInt();
      String name = d.readUTF();
      boolean trainable = d.readByte() != 0;
      int rank = d.readInt();
      if (rank < 1 || rank > MAX_RANK) {
        throw new FileFormatException(source, "corrupted header: tensor " + t + " has rank " + rank);
      }
      int[] dims = new int[rank];
      for (int i = 0; i < rank; i++) {
        dims[i] = d.readInt();
      }
      out.add(line(layer, name, trainable, dims));
    }
    return out;
  }

  private static String line(int layer, String name, boolean trainable, int[] dims) {
    return layer + "/" + name + " " + Arrays.toString(dims) + (trainable ? "" : " state");
  }

  private static void checkLayout(List<String> found, ParamLayout expected, String source)
      throws FileFormatException {
    List<ParamLayout.Entry> entries = expected.entries();
    for (int t = 0; t < Math.max(found.size(), entries.size()); t++) {
      String want = null;
      if (t < entries.size()) {
        TensorSpec s = entries.get(t).spec();
        want = line(entries.get(t).layer(), s.name(), s.trainable(), s.shape().dims());
      }
      String have = t < found.size() ? found.get(t) : null;
      if (want == null || !want.equals(have)) {
        throw new FileFormatException(source, "its tensors do not match the architecture: tensor " + t + " is "
            + (have == null ? "missing" : have) + " but the architecture has "
            + (want == null ? "no more tensors" : want) + " (file: " + found.size() + " tensors, architecture: "
            + entries.size() + ")");
      }
    }
  }

  /** Fills {@code params} from the data section; returns the CRC32 of its bytes. */
  private static long readData(DataInputStream d, float[] params, String source) throws IOException {
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
            + total / 4);
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
