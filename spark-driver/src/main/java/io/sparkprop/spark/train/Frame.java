package io.sparkprop.spark.train;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * One reusable buffer for the frames of the barrier channel: a 12-byte header (magic, type,
 * payload length), the payload, then the CRC-32C of type, length and payload. A reader rejects a
 * wrong magic, a length beyond what the run can need and a checksum mismatch, so a stray or
 * corrupted connection fails the stage instead of feeding garbage into a gradient. Little-endian;
 * float blocks start at 4-aligned offsets so they move with one bulk copy through a float view.
 * After {@link #encrypt} the payload travels encrypted and the checksum's place holds the AES-GCM
 * tag ({@link FrameCipher}); the header stays in clear, authenticated.
 */
final class Frame implements Wire.Out, Wire.In {
  static final int MAGIC = 0x53504231; // "SPB1"
  static final int CHALLENGE = 1;
  static final int HELLO = 2;
  static final int STEP = 3;
  static final int RESULT = 4;
  static final int ERROR = 5;
  static final int STOP = 6;
  static final int EVALUATE = 7;
  static final int EVALUATION = 8;
  private static final int HEADER = 12;
  private static final int MAX_MESSAGE = 4000;
  private final byte[] buf;
  private final ByteBuffer bb;
  private final FloatBuffer fb;
  private final CRC32C crc = new CRC32C();
  private final int maxPayload;
  private int type;
  /** Null on a plain channel. */
  private FrameCipher cipher;
  /** The encrypted frame as it travels (header, ciphertext, tag); made by {@link #encrypt}. */
  private byte[] wire;

  /**
   * A buffer for payloads of up to {@code maxFloats} floats plus 256 bytes of fields: a result's
   * sums and the headers of its embedding tables (16 bytes each; a model has at most one, its
   * first layer), since a sparse gradient is never longer than the dense one plus those.
   */
  Frame(int maxFloats) {
    this.maxPayload = 256 + 4 * maxFloats;
    this.buf = new byte[HEADER + maxPayload + 4];
    this.bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    this.fb = bb.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }

  /** Encrypts every frame sent and received from now on with {@code c}. */
  void encrypt(FrameCipher c) {
    cipher = c;
    wire = new byte[buf.length + FrameCipher.TAG];
  }

  /** Starts a frame of {@code t}; write the payload into the returned buffer. */
  ByteBuffer begin(int t) {
    type = t;
    bb.clear();
    bb.position(HEADER);
    return bb;
  }

  /** Appends {@code n} floats of {@code a} (the payload so far must be a multiple of 4 bytes). */
  void putFloats(float[] a, int n) {
    putFloats(a, 0, n);
  }

  /** Appends {@code a[from, from + n)} (the payload so far must be a multiple of 4 bytes). */
  @Override
  public void putFloats(float[] a, int from, int n) {
    int at = bb.position();
    fb.clear();
    fb.position(at / 4);
    fb.put(a, from, n);
    bb.position(at + 4 * n);
  }

  @Override
  public void putInt(int v) {
    bb.putInt(v);
  }

  /** Reads {@code n} floats into {@code a} from the payload's current position. */
  void getFloats(float[] a, int n) throws IOException {
    getFloats(a, 0, n);
  }

  /** Reads {@code n} floats into {@code a[from, from + n)} from the payload's current position. */
  @Override
  public void getFloats(float[] a, int from, int n) throws IOException {
    int at = bb.position();
    if (n < 0 || at + 4L * n > bb.limit()) {
      throw new IOException("barrier channel: frame of " + (bb.limit() - HEADER) + " bytes announces " + n + " floats");
    }
    fb.clear();
    fb.position(at / 4);
    fb.get(a, from, n);
    bb.position(at + 4 * n);
  }

  @Override
  public int getInt() throws IOException {
    if (bb.remaining() < 4) {
      throw new IOException("barrier channel: frame of " + (bb.limit() - HEADER) + " bytes ends early");
    }
    return bb.getInt();
  }

  /** Appends a message, cut to a few thousand bytes. */
  void putMessage(String m) {
    byte[] b = m.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(b.length, Math.min(MAX_MESSAGE, maxPayload - (bb.position() - HEADER) - 4));
    bb.putInt(n);
    bb.put(b, 0, n);
  }

  /** The message at the payload's position. */
  String getMessage() throws IOException {
    int n = bb.getInt();
    if (n < 0 || n > bb.remaining()) {
      throw new IOException("barrier channel: bad message length " + n);
    }
    String s = new String(buf, bb.position(), n, StandardCharsets.UTF_8);
    bb.position(bb.position() + n);
    return s;
  }

  /** Completes the frame begun last (length and checksum) and writes it in one call. */
  void send(OutputStream out) throws IOException {
    int len = bb.position() - HEADER;
    bb.putInt(0, MAGIC);
    bb.putInt(4, type);
    bb.putInt(8, len);
    if (cipher != null) {
      System.arraycopy(buf, 0, wire, 0, HEADER);
      cipher.seal(buf, wire, HEADER, len);
      out.write(wire, 0, HEADER + len + FrameCipher.TAG);
      out.flush();
      return;
    }
    crc.reset();
    crc.update(buf, 4, 8 + len);
    bb.putInt(HEADER + len, (int) crc.getValue());
    out.write(buf, 0, HEADER + len + 4);
    out.flush();
  }

  /**
   * Reads one frame, checks it and returns its type; the payload is then readable from
   * {@link #payload()}.
   */
  int receive(InputStream in) throws IOException {
    bb.clear(); // the limit of the frame received last
    byte[] b = cipher == null ? buf : wire;
    readFully(in, b, 0, HEADER);
    if (cipher != null) {
      System.arraycopy(wire, 0, buf, 0, HEADER);
    }
    int magic = bb.getInt(0);
    int t = bb.getInt(4);
    int len = bb.getInt(8);
    if (magic != MAGIC) {
      throw new IOException(String.format("barrier channel: not a sparkprop frame (magic %08x)", magic));
    }
    if (len < 0 || len > maxPayload) {
      throw new IOException("barrier channel: frame length " + len + " outside 0.." + maxPayload);
    }
    if (cipher != null) {
      readFully(in, wire, HEADER, len + FrameCipher.TAG);
      cipher.open(wire, buf, HEADER, len, t);
    } else {
      readFully(in, buf, HEADER, len + 4);
      checkCrc(t, len);
    }
    bb.limit(HEADER + len);
    bb.position(HEADER);
    type = t;
    return t;
  }

  private void checkCrc(int t, int len) throws IOException {
    crc.reset();
    crc.update(buf, 4, 8 + len);
    if (bb.getInt(HEADER + len) != (int) crc.getValue()) {
      throw new IOException("barrier channel: checksum mismatch in a frame of type " + t + ", " + len + " bytes");
    }
  }

  /** The payload of the frame received last, positioned at its start. */
  ByteBuffer payload() {
    return bb;
  }

  private static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = in.read(b, off, len);
      if (n < 0) {
        throw new EOFException("barrier channel: connection closed by the other side");
      }
      off += n;
      len -= n;
    }
  }
}
