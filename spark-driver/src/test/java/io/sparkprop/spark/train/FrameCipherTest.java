package io.sparkprop.spark.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The AES-GCM frames of the encrypted barrier channel, through {@link Frame} and byte streams. */
class FrameCipherTest {
  private static final byte[] KEY = bytes(32, 7);
  private static final byte[] DRIVER_CHALLENGE = bytes(16, 1);
  private static final byte[] TASK_CHALLENGE = bytes(16, 2);
  private static final float[] THETA = {1.5f, -0f, Float.MIN_VALUE, 3e38f, -7.25f, 0.1f, 42f, -1e-3f};
  private static final String BAD_TAG = "failed its AES-GCM authentication";

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed * 31 + i * 7);
    }
    return b;
  }

  private static Frame driver(int bits) {
    Frame f = new Frame(THETA.length);
    f.encrypt(FrameCipher.driverEnd(KEY, DRIVER_CHALLENGE, TASK_CHALLENGE, 3, 2, bits));
    return f;
  }

  private static Frame task(int bits) {
    Frame f = new Frame(THETA.length);
    f.encrypt(FrameCipher.taskEnd(KEY, DRIVER_CHALLENGE, TASK_CHALLENGE, 3, 2, bits));
    return f;
  }

  /** A step frame of θ at {@code step} as it travels. */
  private static byte[] step(Frame f, int step) throws IOException {
    f.begin(Frame.STEP).putInt(step).putInt(THETA.length);
    f.putFloats(THETA, THETA.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    f.send(out);
    return out.toByteArray();
  }

  /** Receives one frame of {@code wire} into {@code f}; returns the step number it carries. */
  private static int receiveStep(Frame f, byte[] wire) throws IOException {
    assertThat(f.receive(new ByteArrayInputStream(wire))).isEqualTo(Frame.STEP);
    int step = f.payload().getInt();
    float[] back = new float[f.payload().getInt()];
    f.getFloats(back, back.length);
    assertThat(back).containsExactly(THETA);
    return step;
  }

  @Test
  void hkdfGivesTheRfc5869TestVector() {
    HexFormat h = HexFormat.of();
    byte[] okm = FrameCipher.hkdf(h.parseHex("000102030405060708090a0b0c"), h.parseHex("0b".repeat(22)),
        h.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
    assertThat(h.formatHex(okm))
        .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  @ParameterizedTest(name = "key bits {0}")
  @ValueSource(ints = {128, 192, 256})
  void framesRoundTripExactlyInBothDirections(int bits) throws IOException {
    Frame d = driver(bits);
    Frame t = task(bits);
    for (int s = 0; s < 3; s++) {
      byte[] wire = step(d, s);
      assertThat(wire).hasSize(12 + 8 + 4 * THETA.length + FrameCipher.TAG);
      assertThat(receiveStep(t, wire)).isEqualTo(s);
      assertThat(receiveStep(d, step(t, 10 + s))).isEqualTo(10 + s);
    }
  }

  @Test
  void aFlippedBitInHeaderCiphertextOrTagIsRejected() throws IOException {
    int len = step(driver(128), 0).length;
    for (int at : new int[] {4, 12, 20, len - FrameCipher.TAG - 1, len - FrameCipher.TAG, len - 1}) {
      byte[] wire = step(driver(128), 0);
      wire[at] ^= 0x10; // at 4: the type, which is clear but authenticated
      assertThatThrownBy(() -> task(128).receive(new ByteArrayInputStream(wire)))
          .as("bit flipped at byte %d", at).isInstanceOf(IOException.class).hasMessageContaining(BAD_TAG);
    }
  }

  @Test
  void replayedAndReorderedFramesAreRejected() throws IOException {
    Frame d = driver(128);
    byte[] first = step(d, 0);
    byte[] second = step(d, 1);
    Frame t = task(128);
    assertThat(receiveStep(t, first)).isZero();
    assertThatThrownBy(() -> t.receive(new ByteArrayInputStream(first))).hasMessageContaining(BAD_TAG)
        .hasMessageContaining("frame 1 (type 3");
    assertThatThrownBy(() -> task(128).receive(new ByteArrayInputStream(second))).hasMessageContaining(BAD_TAG);
  }

  @Test
  void theDirectionsUseDifferentKeys() throws IOException {
    byte[] down = step(driver(128), 0);
    byte[] up = step(task(128), 0);
    // the same plaintext, frame number and header: only the key differs
    assertThat(ByteBuffer.wrap(down, 12, down.length - 12)).isNotEqualTo(ByteBuffer.wrap(up, 12, up.length - 12));
    assertThatThrownBy(() -> driver(128).receive(new ByteArrayInputStream(down))).hasMessageContaining(BAD_TAG);
    assertThatThrownBy(() -> task(128).receive(new ByteArrayInputStream(up))).hasMessageContaining(BAD_TAG);
  }

  @Test
  void anotherConnectionOrKeyCannotOpenAFrame() throws IOException {
    byte[] wire = step(driver(128), 0);
    Frame otherConnection = new Frame(THETA.length);
    otherConnection.encrypt(FrameCipher.taskEnd(KEY, DRIVER_CHALLENGE, bytes(16, 9), 3, 2, 128));
    Frame otherPartition = new Frame(THETA.length);
    otherPartition.encrypt(FrameCipher.taskEnd(KEY, DRIVER_CHALLENGE, TASK_CHALLENGE, 4, 2, 128));
    Frame otherKey = new Frame(THETA.length);
    otherKey.encrypt(FrameCipher.taskEnd(bytes(32, 8), DRIVER_CHALLENGE, TASK_CHALLENGE, 3, 2, 128));
    for (Frame f : new Frame[] {otherConnection, otherPartition, otherKey, task(256)}) {
      assertThatThrownBy(() -> f.receive(new ByteArrayInputStream(wire))).hasMessageContaining(BAD_TAG);
    }
    // nor does a plain frame pass for an encrypted one
    Frame plain = new Frame(THETA.length);
    byte[] clear = step(plain, 0);
    assertThatThrownBy(() -> task(128).receive(new ByteArrayInputStream(clear))).isInstanceOf(IOException.class);
  }

  @Test
  void theCiphertextHoldsNoneOfTheFloats() throws IOException {
    byte[] encrypted = step(driver(128), 0);
    byte[] plain = step(new Frame(THETA.length), 0);
    for (float v : THETA) {
      byte[] le = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array();
      assertThat(indexOf(plain, le)).as("%s in the plain frame", v).isGreaterThanOrEqualTo(12);
      assertThat(indexOf(encrypted, le)).as("%s in the encrypted frame", v).isEqualTo(-1);
    }
  }

  /** Where {@code needle} first occurs in {@code hay}, or -1 (as text of one char per byte). */
  private static int indexOf(byte[] hay, byte[] needle) {
    return new String(hay, StandardCharsets.ISO_8859_1).indexOf(new String(needle, StandardCharsets.ISO_8859_1));
  }

  @Test
  void theBigBuffersAreReusedFromFrameToFrame() throws IOException {
    int n = 50_000; // 200 KB frames
    Frame d = new Frame(n);
    d.encrypt(FrameCipher.driverEnd(KEY, DRIVER_CHALLENGE, TASK_CHALLENGE, 0, 1, 128));
    Frame t = new Frame(n);
    t.encrypt(FrameCipher.taskEnd(KEY, DRIVER_CHALLENGE, TASK_CHALLENGE, 0, 1, 128));
    float[] a = new float[n];
    float[] b = new float[n];
    Pipe pipe = new Pipe(4 * n + 64);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = 0;
    int frames = 40;
    for (int i = -10; i < frames; i++) { // ten rounds to warm up
      if (i == 0) {
        before = mx.getCurrentThreadAllocatedBytes();
      }
      a[i & 1023] = i;
      d.begin(Frame.STEP).putInt(n);
      d.putFloats(a, n);
      pipe.reset();
      d.send(pipe);
      t.receive(pipe.in());
      t.payload().getInt();
      t.getFloats(b, n);
    }
    long perFrame = (mx.getCurrentThreadAllocatedBytes() - before) / frames;
    assertThat(b).containsExactly(a);
    assertThat(perFrame).as("bytes allocated per 200 KB frame").isLessThan(4 * n / 20);
  }

  /** One frame's bytes, written and then read, in a buffer made once. */
  private static final class Pipe extends java.io.OutputStream {
    private final byte[] b;
    private int n;
    private int read;

    Pipe(int capacity) {
      b = new byte[capacity];
    }

    void reset() {
      n = 0;
      read = 0;
    }

    @Override
    public void write(int x) {
      b[n++] = (byte) x;
    }

    @Override
    public void write(byte[] src, int off, int len) {
      System.arraycopy(src, off, b, n, len);
      n += len;
    }

    java.io.InputStream in() {
      return new java.io.InputStream() {
        @Override
        public int read() {
          return read < n ? b[read++] & 0xff : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
          int k = Math.min(len, n - read);
          System.arraycopy(b, read, dst, off, k);
          read += k;
          return k == 0 && len > 0 ? -1 : k;
        }
      };
    }
  }

  @Test
  void keyLengthFollowsSparksSettings() {
    assertThat(FrameCipher.keyBits(new SparkConf(false))).isZero();
    assertThat(FrameCipher.keyBits(new SparkConf(false).set("spark.network.crypto.keyLength", "256"))).isZero();
    SparkConf crypto = new SparkConf(false).set("spark.network.crypto.enabled", "true");
    assertThat(FrameCipher.keyBits(crypto)).isEqualTo(128);
    assertThat(FrameCipher.keyBits(crypto.clone().set("spark.network.crypto.keyLength", "256"))).isEqualTo(256);
    assertThat(FrameCipher.keyBits(new SparkConf(false).set("spark.authenticate.enableSaslEncryption", "true")))
        .isEqualTo(128);
    assertThatThrownBy(() -> FrameCipher.keyBits(crypto.clone().set("spark.network.crypto.keyLength", "100")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spark.network.crypto.keyLength must be 128, 192 or 256 (bits) for the encrypted barrier"
            + " channel, got '100'");
  }
}
