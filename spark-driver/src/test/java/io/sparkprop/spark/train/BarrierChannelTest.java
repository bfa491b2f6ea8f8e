package io.sparkprop.spark.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The barrier channel's frames and handshake, without Spark: real sockets on 127.0.0.1, plain and
 * encrypted ({@link FrameCipherTest} checks the cipher itself).
 */
class BarrierChannelTest {

  private static byte[] stepFrame(float[] theta) throws IOException {
    Frame f = new Frame(theta.length);
    f.begin(Frame.STEP).putInt(1).putInt(2).putInt(3).putInt(theta.length);
    f.putFloats(theta, theta.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    f.send(out);
    return out.toByteArray();
  }

  @Test
  void aFrameCarriesItsFloatsExactly() throws IOException {
    float[] theta = {1.5f, -0f, Float.MIN_VALUE, 3e38f, -7.25f};
    Frame in = new Frame(theta.length);
    assertThat(in.receive(new ByteArrayInputStream(stepFrame(theta)))).isEqualTo(Frame.STEP);
    assertThat(in.payload().getInt()).isEqualTo(1);
    in.payload().getInt();
    in.payload().getInt();
    assertThat(in.payload().getInt()).isEqualTo(5);
    float[] back = new float[5];
    in.getFloats(back, 5);
    assertThat(back).containsExactly(theta);
  }

  @Test
  void aCorruptedByteIsRefused() throws IOException {
    byte[] b = stepFrame(new float[] {1, 2, 3});
    b[b.length - 9] ^= 1; // inside the last float
    assertThatThrownBy(() -> new Frame(3).receive(new ByteArrayInputStream(b)))
        .isInstanceOf(IOException.class).hasMessageContaining("checksum mismatch");
  }

  @Test
  void aForeignStreamAndAnOversizedFrameAreRefused() throws IOException {
    byte[] http = "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> new Frame(3).receive(new ByteArrayInputStream(http)))
        .hasMessageContaining("not a sparkprop frame");
    byte[] big = stepFrame(new float[100]);
    assertThatThrownBy(() -> new Frame(3).receive(new ByteArrayInputStream(big)))
        .hasMessageContaining("frame length 416 outside 0..268");
  }

  @ParameterizedTest(name = "key bits {0}")
  @ValueSource(ints = {0, 256})
  void aTaskWithoutTheRunSecretIsRefusedAndOneWithItServed(int bits) throws Exception {
    SocketHub hub = new SocketHub("127.0.0.1", "127.0.0.1", 4, 10_000, bits);
    try {
      hub.open(1, 1);
      int port = hub.port();
      byte[] secret = hub.secret();
      CompletableFuture<String> intruder = CompletableFuture.supplyAsync(() -> connect(port, new byte[32], bits, 1));
      CompletableFuture<String> stale = intruder.handle((r, e) -> connect(port, secret, bits, 0));
      CompletableFuture<Links.DriverLink> task = stale.handle((r, e) -> {
        try {
          return TcpDriverLink.connect("127.0.0.1", port, secret, bits, 1, 0, 4, 10_000);
        } catch (IOException x) {
          throw new RuntimeException(x);
        }
      });
      Links.TaskLink[] links = hub.awaitAll(() -> false, System.nanoTime() + 60_000_000_000L);
      assertThat(intruder.join()).contains("closed");
      assertThat(stale.join()).contains("closed");
      Links.DriverLink t = task.join();
      float[] theta = {1, 2, 3, 4};
      links[0].send(theta, 0, 5, 9);
      Links.Command c = new Links.Command();
      assertThat(t.next(c)).isTrue();
      assertThat(c.params).containsExactly(theta);
      assertThat(c.step).isEqualTo(5);
      StepResult r = new StepResult();
      r.grad = new float[] {-1, 0.5f, 0, 2};
      r.lossSum = 0.25;
      r.count = 3;
      t.reply(r);
      StepResult back = links[0].receive(10_000_000_000L);
      assertThat(back.grad()).containsExactly(r.grad);
      assertThat(back.sums().count()).isEqualTo(3);
      links[0].stop();
      assertThat(t.next(c)).isFalse();
      t.close();
    } finally {
      hub.close();
    }
  }

  /** Connects as partition 0 of stage {@code gen}, then reads: the driver's verdict as text. */
  private static String connect(int port, byte[] secret, int bits, int gen) {
    try {
      Links.DriverLink l = TcpDriverLink.connect("127.0.0.1", port, secret, bits, gen, 0, 4, 10_000);
      try {
        l.next(new Links.Command());
        return "served";
      } catch (IOException e) {
        return e.getMessage();
      } finally {
        l.close();
      }
    } catch (IOException e) {
      return e.getMessage();
    }
  }
}
