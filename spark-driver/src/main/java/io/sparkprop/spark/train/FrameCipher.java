package io.sparkprop.spark.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.SparkConf;

/**
 * AES-GCM for the frames of one TCP barrier connection, used when Spark's network encryption is
 * on ({@link #keyBits}). Each end holds two keys, one per direction, derived with HKDF-SHA256
 * (RFC 5869) from the channel key (see {@link SocketHub#key}) with salt = driver challenge ‖ task
 * challenge (16 random bytes from each end, per connection) and info = label ‖ direction ‖
 * partition ‖ stage ‖ key bits. The 96-bit nonce is the frame's number in its direction (a 64-bit
 * counter, big-endian, after 4 zero bytes); a frame's clear header (magic, type, length) is its
 * additional authenticated data.
 *
 * <p>Security argument. A passive listener sees the clear handshake (two random challenges,
 * partition, stage, an HMAC) and, per frame, its type, length and timing; never θ, gradients,
 * metrics or messages. It cannot learn the keys: with {@code spark.authenticate} (which Spark
 * requires for network encryption) the channel key is an HMAC of the run secret under Spark's
 * shared secret, which never travels; the run secret itself travels only inside the task closure,
 * over Spark's RPC, which that same setting encrypts. An active attacker cannot change, inject,
 * replay, drop or reorder a frame (the tag covers header and payload, and the receiver expects
 * the next counter value), reflect a frame to its sender (other key), or replay a past
 * connection (both ends bring a fresh challenge, so keys differ per connection, and a key/nonce
 * pair is never used twice). It cannot pose as a task (the HMAC answer) nor as the driver (its
 * first command would not open under the derived keys), nor turn encryption off: each end takes
 * it from Spark's settings (the task from its closure), never from the wire. What it can do is
 * cut or garble the connection: the stage then fails with the message of {@link #open}, and the
 * run recomputes the step as a Spark job, as after any failed stage.
 *
 * <p>Per frame this allocates only the JCE's small per-{@code init} objects: ciphers, keys and
 * the nonce array are reused, and {@link Frame} encrypts between two buffers made once.
 */
final class FrameCipher {
  /** Bytes of the GCM tag after each encrypted payload. */
  static final int TAG = 16;
  private static final byte[] LABEL = "sparkprop barrier channel v1".getBytes(StandardCharsets.US_ASCII);
  private final Cipher seal;
  private final Cipher open;
  private final SecretKeySpec sealKey;
  private final SecretKeySpec openKey;
  private final byte[] nonce = new byte[12];
  private long sent;
  private long received;

  private FrameCipher(byte[] sealKey, byte[] openKey) {
    this.sealKey = new SecretKeySpec(sealKey, "AES");
    this.openKey = new SecretKeySpec(openKey, "AES");
    try {
      this.seal = Cipher.getInstance("AES/GCM/NoPadding");
      this.open = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM unavailable in this JVM", e);
    }
  }

  /**
   * The key length in bits for the channel under {@code conf}: 0 when neither
   * {@code spark.network.crypto.enabled} nor {@code spark.authenticate.enableSaslEncryption} is on,
   * else {@code spark.network.crypto.keyLength} (128 by default; 192 and 256 as in Spark).
   *
   * @throws IllegalArgumentException for another key length, naming the setting
   */
  static int keyBits(SparkConf conf) {
    if (!conf.getBoolean("spark.network.crypto.enabled", false)
        && !conf.getBoolean("spark.authenticate.enableSaslEncryption", false)) {
      return 0;
    }
    String v = conf.get("spark.network.crypto.keyLength", "128").trim();
    if (!v.equals("128") && !v.equals("192") && !v.equals("256")) {
      throw new IllegalArgumentException("spark.network.crypto.keyLength must be 128, 192 or 256 (bits) for the"
          + " encrypted barrier channel, got '" + v + "'");
    }
    return Integer.parseInt(v);
  }

  /** The driver's end of partition {@code p}'s connection in stage {@code gen}. */
  static FrameCipher driverEnd(byte[] key, byte[] driverChallenge, byte[] taskChallenge, int p, int gen, int bits) {
    byte[][] k = keys(key, driverChallenge, taskChallenge, p, gen, bits);
    return new FrameCipher(k[0], k[1]);
  }

  /** The task's end of the same connection: the driver's keys, swapped. */
  static FrameCipher taskEnd(byte[] key, byte[] driverChallenge, byte[] taskChallenge, int p, int gen, int bits) {
    byte[][] k = keys(key, driverChallenge, taskChallenge, p, gen, bits);
    return new FrameCipher(k[1], k[0]);
  }

  /** {driver→task key, task→driver key}. */
  private static byte[][] keys(byte[] key, byte[] driverChallenge, byte[] taskChallenge, int p, int gen, int bits) {
    if (bits != 128 && bits != 192 && bits != 256) {
      throw new IllegalArgumentException("barrier channel: AES key length " + bits + " is not 128, 192 or 256");
    }
    byte[] salt = ByteBuffer.allocate(driverChallenge.length + taskChallenge.length).put(driverChallenge)
        .put(taskChallenge).array();
    byte[][] k = new byte[2][];
    for (int d = 0; d < 2; d++) {
      byte[] info = ByteBuffer.allocate(LABEL.length + 13).put(LABEL).put((byte) d).putInt(p).putInt(gen)
          .putInt(bits).array();
      k[d] = hkdf(salt, key, info, bits / 8);
    }
    return k;
  }

  /**
   * HKDF-SHA256 (RFC 5869): PRK = HMAC(salt, ikm); T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i), the
   * output is the first {@code n} bytes of T(1) ‖ T(2) ‖ ... ({@code n} ≤ 255·32).
   */
  static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int n) {
    byte[] prk = SocketHub.hmac(salt, ikm);
    byte[] out = new byte[n];
    byte[] t = new byte[0];
    for (int i = 1, at = 0; at < n; i++) {
      t = SocketHub.hmac(prk, t, info, new byte[] {(byte) i});
      int k = Math.min(t.length, n - at);
      System.arraycopy(t, 0, out, at, k);
      at += k;
    }
    return out;
  }

  /**
   * Encrypts {@code plain[header, header + len)} into {@code wire[header, header + len + TAG)},
   * authenticating {@code wire[0, header)} (the clear header, already there) too.
   */
  void seal(byte[] plain, byte[] wire, int header, int len) throws IOException {
    try {
      seal.init(Cipher.ENCRYPT_MODE, sealKey, spec(sent++));
      seal.updateAAD(wire, 0, header);
      seal.doFinal(plain, header, len, wire, header);
    } catch (GeneralSecurityException e) {
      throw new IOException("barrier channel: cannot encrypt a frame: " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts and checks {@code wire[header, header + len + TAG)} (with the header
   * {@code wire[0, header)}) into {@code plain[header, header + len)}.
   *
   * @throws IOException when the tag does not match: the frame was altered, replayed, reordered,
   *     reflected, belongs to another connection, or a frame before it was lost
   */
  void open(byte[] wire, byte[] plain, int header, int len, int type) throws IOException {
    long n = received++;
    try {
      open.init(Cipher.DECRYPT_MODE, openKey, spec(n));
      open.updateAAD(wire, 0, header);
      open.doFinal(wire, header, len + TAG, plain, header);
    } catch (AEADBadTagException e) {
      throw new IOException("barrier channel: frame " + n + " (type " + type + ", " + len + " bytes) failed its"
          + " AES-GCM authentication: altered, replayed, reordered or not from this connection's peer", e);
    } catch (GeneralSecurityException e) {
      throw new IOException("barrier channel: cannot decrypt a frame: " + e.getMessage(), e);
    }
  }

  /** The nonce of frame {@code n}: 4 zero bytes, then {@code n} big-endian. */
  private GCMParameterSpec spec(long n) {
    for (int i = 0; i < 8; i++) {
      nonce[11 - i] = (byte) (n >>> (8 * i));
    }
    return new GCMParameterSpec(8 * TAG, nonce);
  }
}
