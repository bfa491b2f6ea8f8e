package io.sparkprop.spark.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.SparkOptions;
import io.sparkprop.spark.SparkTestSupport;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Barrier mode on a session with Spark's network encryption on ({@code spark.authenticate},
 * {@code spark.network.crypto.enabled}, 256-bit keys) and the TCP channel forced: it runs, encrypted,
 * and gives the floats of jobs mode and of the in-JVM channel (the plain TCP channel gives jobs
 * mode's floats in {@link BarrierGradientSourceTest}).
 */
class EncryptedBarrierTest {
  @LocalSpark(master = "local[4]", conf = {"spark.authenticate", "true", "spark.network.crypto.enabled", "true",
      "spark.network.crypto.keyLength", "256"}) static SparkSession spark;
  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }


  @Test
  void theEncryptedTcpChannelGivesTheFloatsOfJobsModeAndLeavesNothingBehind() throws Exception {
    Blocks b = BarrierGradientSourceTest.blocks(spark, SparkTestSupport.blobs(150, 2), 50, 60, 40);
    try {
      float[] jobs = BarrierGradientSourceTest.train(new SparkGradientSource(jsc, b, 0));
      BarrierGradientSource inJvm = new BarrierGradientSource(jsc, b, 0, SparkOptions.Sync.BARRIER, 30);
      float[] local = BarrierGradientSourceTest.train(inJvm);
      assertThat(inJvm.barrierSteps()).isEqualTo(BarrierGradientSourceTest.steps(b));

      jsc.sc().setLocalProperty(BarrierGradientSource.CHANNEL, "tcp");
      BarrierGradientSource tcp = new BarrierGradientSource(jsc, b, 0, SparkOptions.Sync.BARRIER, 30);
      AtomicReference<String> channel = new AtomicReference<>();
      TrainingListener watch = new TrainingListener() {
        @Override
        public void onStepEnd(int epoch, int step, int steps, LossSums sums) {
          channel.compareAndSet(null, tcp.tcpChannel());
        }
      };
      float[] encrypted = BarrierGradientSourceTest.train(tcp, watch);

      assertThat(local).containsExactly(jobs);
      assertThat(encrypted).containsExactly(jobs);
      assertThat(tcp.barrierSteps()).isEqualTo(BarrierGradientSourceTest.steps(b));
      assertThat(tcp.jobSteps()).isZero();
      assertThat(channel.get()).startsWith("127.0.0.1:").endsWith(" AES-GCM-256");
      // closed: no channel, the port released
      assertThat(tcp.tcpChannel()).isNull();
      int port = Integer.parseInt(channel.get().substring("127.0.0.1:".length(), channel.get().indexOf(' ')));
      assertThatThrownBy(() -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        }
      }).isInstanceOf(ConnectException.class);
    } finally {
      jsc.sc().setLocalProperty(BarrierGradientSource.CHANNEL, null);
      b.release();
    }
  }
}
