package io.sparkprop.spark.train;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.metrics.MetricSums;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The barrier channel over TCP (plain JDK sockets, one per task, TCP_NODELAY). The driver listens
 * on an ephemeral port of {@code spark.driver.bindAddress} for the run; a task connects to
 * {@code spark.driver.host}, receives a random challenge and answers with a challenge of its own
 * and HMAC-SHA256(key, driver challenge ‖ task challenge ‖ partition ‖ stage) where the key is the
 * run's random secret (sent to the tasks inside the task closure) or, with
 * {@code spark.authenticate}, an HMAC of that secret under Spark's own shared secret, which then
 * never travels. Connections that fail the check, or belong to an older stage, are closed. When
 * Spark's network encryption is on ({@link FrameCipher#keyBits}) every frame after this handshake
 * is encrypted and authenticated with AES-GCM under keys of that connection ({@link FrameCipher},
 * whose comment gives the security argument); otherwise frames carry a CRC-32C only. Reads on
 * both ends time out (the configured barrier timeout), so a silent peer fails the stage instead of
 * hanging it. The task's end of a connection is {@link TcpDriverLink}.
 */
final class SocketHub implements Links.Hub {
  private static final Logger LOG = LoggerFactory.getLogger(SocketHub.class);
  private static final int ACCEPT_SLICE_MS = 100;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final ServerSocket server;
  private final String host;
  private final int floats;
  private final int timeoutMillis;
  /** AES key bits of the channel; 0: not encrypted. */
  private final int bits;
  private final byte[] secret = new byte[32];
  private final byte[] key;
  private int generation = -1;
  private TcpTaskLink[] links = new TcpTaskLink[0];
  private volatile boolean closed;

  /**
   * Listens on {@code bindAddress}, port chosen by the system; tasks will connect to {@code host}.
   * {@code bits}: AES key length of the frames (128, 192, 256), 0 for plain frames.
   */
  SocketHub(String bindAddress, String host, int floats, int timeoutMillis, int bits) throws IOException {
    this.host = host;
    this.bits = bits;
    this.floats = floats;
    this.timeoutMillis = timeoutMillis;
    RANDOM.nextBytes(secret);
    this.key = key(secret);
    server = new ServerSocket();
    server.bind(new InetSocketAddress(bindAddress, 0), 128);
    server.setSoTimeout(ACCEPT_SLICE_MS);
  }

  /**
   * The driver's hub: listens on {@code spark.driver.bindAddress} (default: the host), tasks
   * connect to {@code spark.driver.host} (default: this machine's address), as Spark's own RPC.
   * Frames are encrypted when Spark's network encryption is on.
   */
  static SocketHub onDriver(SparkConf conf, int floats, int timeoutMillis) throws IOException {
    String host = conf.get("spark.driver.host", InetAddress.getLocalHost().getHostAddress());
    return new SocketHub(conf.get("spark.driver.bindAddress", host), host, floats, timeoutMillis,
        FrameCipher.keyBits(conf));
  }

  /** The address tasks connect to, for logs. */
  String address() {
    return host + ":" + server.getLocalPort();
  }

  /** What protects the frames, for logs. */
  String protection() {
    return bits == 0 ? "authenticated" : "AES-GCM-" + bits;
  }

  /** The listening port. */
  int port() {
    return server.getLocalPort();
  }

  /** The run secret the tasks are given. */
  byte[] secret() {
    return secret.clone();
  }

  @Override
  public synchronized void open(int gen, int parts) {
    closeLinks();
    generation = gen;
    links = new TcpTaskLink[parts];
  }

  @Override
  public BarrierTask task(int gen, int timeout, MetricSums metrics) {
    return BarrierTask.remote(host, server.getLocalPort(), secret, bits, gen, floats, timeout, metrics);
  }

  /**
   * The frame capacity, in floats, for {@code params} parameters and evaluations into sums like
   * {@code metrics} (may be null): their serialized form has a fixed size (fixed-length arrays
   * of primitives), measured here, plus room for the loss sums.
   */
  static int capacity(int params, MetricSums metrics) {
    return metrics == null ? params : Math.max(params, (toBytes(metrics.empty()).length + 256) / 4);
  }

  /** Metric sums in Java's serialized form (a driver and its tasks run the same classes). */
  static byte[] toBytes(MetricSums m) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(b)) {
      o.writeObject(m);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return b.toByteArray();
  }

  /** The metric sums of {@link #toBytes}; only the metrics package's classes and primitive arrays are accepted. */
  static MetricSums fromBytes(byte[] b, int off, int len) throws IOException {
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(b, off, len))) {
      in.setObjectInputFilter(java.io.ObjectInputFilter.Config.createFilter(
          "io.sparkprop.core.metrics.*;[J;[D;maxdepth=4;!*"));
      return (MetricSums) in.readObject();
    } catch (ClassNotFoundException | ClassCastException e) {
      throw new IOException("barrier channel: unreadable metric sums: " + e.getMessage(), e);
    }
  }

  @Override
  public Links.TaskLink[] awaitAll(BooleanSupplier done, long deadlineNanos) throws IOException {
    int in = 0;
    while (in < links.length) {
      long left = deadlineNanos - System.nanoTime();
      if (closed || done.getAsBoolean() || left <= 0) {
        throw new IOException("barrier stage: " + in + " of " + links.length + " tasks connected to " + address()
            + (closed ? " before the run was closed" : left <= 0 ? " within the timeout" : " before the stage ended"));
      }
      Socket s;
      try {
        s = server.accept(); // bounded by the accept slice, so the stage's end is noticed
      } catch (SocketTimeoutException e) {
        continue;
      }
      TcpTaskLink l = new TcpTaskLink(s, floats);
      try {
        int p = l.handshake(key, generation, links.length, timeoutMillis, bits);
        synchronized (this) {
          if (links[p] != null) {
            throw new IOException("partition " + p + " connected twice");
          }
          links[p] = l;
        }
        in++;
      } catch (IOException | RuntimeException e) {
        LOG.warn("barrier channel: refused a connection from {}: {}", s.getRemoteSocketAddress(), e.getMessage());
        l.close();
      }
    }
    return links.clone();
  }

  @Override
  public synchronized void closeLinks() {
    for (TcpTaskLink l : links) {
      if (l != null) {
        l.close();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    closeLinks();
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing the barrier port", e);
    }
  }

  /** The channel key: the run secret, or with Spark authentication an HMAC of it under Spark's secret. */
  static byte[] key(byte[] runSecret) {
    SparkEnv env = SparkEnv.get();
    if (env != null && env.securityManager().isAuthenticationEnabled()) {
      return hmac(env.securityManager().getSecretKey().getBytes(StandardCharsets.UTF_8), runSecret);
    }
    return runSecret.clone();
  }

  /** HMAC-SHA256 of the concatenated {@code parts}. */
  static byte[] hmac(byte[] key, byte[]... parts) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      for (byte[] p : parts) {
        m.update(p);
      }
      return m.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
    }
  }

  static byte[] ints(int a, int b) {
    return ByteBuffer.allocate(8).putInt(a).putInt(b).array();
  }

  /** 16 random bytes: a handshake challenge. */
  static byte[] challenge() {
    byte[] c = new byte[16];
    RANDOM.nextBytes(c);
    return c;
  }

  /** The driver's end of one task's TCP connection. */
  static final class TcpTaskLink implements Links.TaskLink {
    private final Socket socket;
    private final Frame frame;
    private final StepResult result = new StepResult();
    private final int floats;
    private InputStream in;
    private OutputStream out;
    private int soTimeout = -1;

    TcpTaskLink(Socket socket, int floats) {
      this.socket = socket;
      this.floats = floats;
      this.frame = new Frame(floats);
    }

    /**
     * Challenges the task; returns its partition once its answer checks out, and from then on
     * encrypts with {@code bits}-bit keys of this connection unless {@code bits} is 0.
     */
    int handshake(byte[] key, int gen, int parts, int timeoutMillis, int bits) throws IOException {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(timeoutMillis);
      soTimeout = timeoutMillis;
      in = socket.getInputStream();
      out = socket.getOutputStream();
      byte[] nonce = challenge();
      frame.begin(Frame.CHALLENGE).put(nonce).putInt(gen);
      frame.send(out);
      if (frame.receive(in) != Frame.HELLO) {
        throw new IOException("expected a hello frame");
      }
      ByteBuffer b = frame.payload();
      int p = b.getInt();
      int g = b.getInt();
      byte[] theirs = new byte[16];
      byte[] mac = new byte[32];
      if (b.remaining() != theirs.length + mac.length) {
        throw new IOException("a hello frame of " + (8 + b.remaining()) + " bytes");
      }
      b.get(theirs).get(mac);
      if (!MessageDigest.isEqual(mac, hmac(key, nonce, theirs, ints(p, g)))) {
        throw new IOException("authentication failed");
      }
      if (g != gen || p < 0 || p >= parts) {
        throw new IOException("task of partition " + p + ", stage " + g + " is not expected in stage " + gen);
      }
      if (bits != 0) {
        frame.encrypt(FrameCipher.driverEnd(key, nonce, theirs, p, g, bits));
      }
      return p;
    }

    @Override
    public void send(float[] params, int epoch, int step, int steps) throws IOException {
      frame.begin(Frame.STEP).putInt(epoch).putInt(step).putInt(steps).putInt(params.length);
      frame.putFloats(params, params.length);
      frame.send(out);
    }

    @Override
    public StepResult receive(long timeoutNanos) throws IOException {
      int type = await(timeoutNanos);
      ByteBuffer b = frame.payload();
      if (type != Frame.RESULT) {
        throw new IOException("barrier channel: expected a result frame, got type " + type);
      }
      result.lossSum = b.getDouble();
      result.count = b.getLong();
      result.correct = b.getLong();
      result.weight = b.getDouble();
      result.computeNanos = b.getLong();
      result.readGradient(frame, floats);
      return result;
    }

    @Override
    public void sendEvaluate(float[] params, boolean metrics) throws IOException {
      frame.begin(Frame.EVALUATE).putInt(metrics ? 1 : 0).putInt(params.length);
      frame.putFloats(params, params.length);
      frame.send(out);
    }

    @Override
    public Links.Evaluation receiveEvaluation(long timeoutNanos) throws IOException {
      int type = await(timeoutNanos);
      ByteBuffer b = frame.payload();
      if (type != Frame.EVALUATION) {
        throw new IOException("barrier channel: expected an evaluation frame, got type " + type);
      }
      LossSums sums = new LossSums(b.getDouble(), b.getLong(), b.getLong(), b.getDouble());
      int n = b.getInt();
      if (n > b.remaining()) {
        throw new IOException("barrier channel: bad metric sums length " + n);
      }
      MetricSums m = n < 0 ? null : fromBytes(b.array(), b.position(), n);
      return new Links.Evaluation(sums, m);
    }

    /** The type of the next frame (bounded wait); a task's error frame becomes the exception. */
    private int await(long timeoutNanos) throws IOException {
      int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutNanos / 1_000_000));
      if (ms != soTimeout) {
        socket.setSoTimeout(ms);
        soTimeout = ms;
      }
      int type;
      try {
        type = frame.receive(in);
      } catch (SocketTimeoutException e) {
        throw new IOException("barrier task did not answer within " + ms + " ms", e);
      }
      if (type == Frame.ERROR) {
        throw new IOException("barrier task failed: " + frame.getMessage());
      }
      return type;
    }

    @Override
    public void stop() {
      try {
        frame.begin(Frame.STOP);
        frame.send(out);
      } catch (IOException e) {
        LOG.debug("barrier channel: stop not delivered", e);
      }
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("closing a barrier connection", e);
      }
    }
  }
}
