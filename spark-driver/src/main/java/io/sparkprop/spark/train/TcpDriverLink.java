package io.sparkprop.spark.train;

import io.sparkprop.core.loss.LossSums;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's end of its TCP connection to {@link SocketHub}: connects, answers the driver's challenge
 * with one of its own and the HMAC of {@link SocketHub#hmac} under {@link SocketHub#key}, switches
 * to encrypted frames ({@link FrameCipher}) when the stage asks for them, then reads step and
 * evaluation commands and writes their results as {@link Frame}s. Kept apart from the hub because it runs in
 * the task's JVM, the hub in the driver's.
 */
final class TcpDriverLink implements Links.DriverLink {
  /** The hub's logger, so that the channel's messages keep their category. */
  private static final Logger LOG = LoggerFactory.getLogger(SocketHub.class);
  private final Socket socket;
  private final Frame frame;
  private final InputStream in;
  private final OutputStream out;
  private float[] params;

  private TcpDriverLink(Socket socket, int floats) throws IOException {
    this.socket = socket;
    this.frame = new Frame(floats);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Connects to the driver and answers its challenge for partition {@code p} of stage {@code gen};
   * {@code bits}: the AES key length of the frames, 0 for plain ones.
   */
  static TcpDriverLink connect(String host, int port, byte[] secret, int bits, int gen, int p, int floats,
                               int timeoutMillis) throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      TcpDriverLink l = new TcpDriverLink(s, floats);
      if (l.frame.receive(l.in) != Frame.CHALLENGE) {
        throw new IOException("barrier channel: expected a challenge from the driver");
      }
      byte[] nonce = new byte[16];
      l.frame.payload().get(nonce);
      byte[] ours = SocketHub.challenge();
      byte[] key = SocketHub.key(secret);
      byte[] mac = SocketHub.hmac(key, nonce, ours, SocketHub.ints(p, gen));
      l.frame.begin(Frame.HELLO).putInt(p).putInt(gen).put(ours).put(mac);
      l.frame.send(l.out);
      if (bits != 0) {
        l.frame.encrypt(FrameCipher.taskEnd(key, nonce, ours, p, gen, bits));
      }
      return l;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw new IOException("barrier task of partition " + p + ": cannot reach the driver at " + host + ":" + port
          + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean next(Links.Command c) throws IOException {
    int type = frame.receive(in);
    if (type == Frame.STOP) {
      return false;
    }
    if (type != Frame.STEP && type != Frame.EVALUATE) {
      throw new IOException("barrier channel: expected a step frame, got type " + type);
    }
    ByteBuffer b = frame.payload();
    c.evaluate = type == Frame.EVALUATE;
    if (c.evaluate) {
      c.metrics = b.getInt() != 0;
    } else {
      c.epoch = b.getInt();
      c.step = b.getInt();
      c.steps = b.getInt();
    }
    int n = b.getInt();
    if (params == null || params.length != n) {
      params = new float[n];
    }
    frame.getFloats(params, n);
    c.params = params;
    return true;
  }

  @Override
  public void reply(StepResult r) throws IOException {
    ByteBuffer b = frame.begin(Frame.RESULT);
    b.putDouble(r.lossSum).putLong(r.count).putLong(r.correct).putDouble(r.weight).putLong(r.computeNanos);
    r.writeGradient(frame);
    frame.send(out);
  }

  @Override
  public void replyEvaluation(Links.Evaluation e) throws IOException {
    LossSums s = e.sums();
    ByteBuffer b = frame.begin(Frame.EVALUATION);
    b.putDouble(s.lossSum()).putLong(s.count()).putLong(s.correct()).putDouble(s.weight());
    if (e.metrics() == null) {
      b.putInt(-1);
    } else {
      byte[] m = SocketHub.toBytes(e.metrics());
      b.putInt(m.length).put(m);
    }
    frame.send(out);
  }

  @Override
  public void fail(String message) {
    try {
      frame.begin(Frame.ERROR);
      frame.putMessage(message);
      frame.send(out);
    } catch (IOException | RuntimeException e) {
      LOG.debug("barrier channel: failure not delivered", e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      LOG.debug("closing the barrier connection", e);
    }
  }
}
