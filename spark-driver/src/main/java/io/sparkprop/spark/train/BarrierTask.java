package io.sparkprop.spark.train;

import io.sparkprop.core.metrics.MetricSums;
import io.sparkprop.core.train.PartitionWorker;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.spark.BarrierTaskContext;
import scala.runtime.AbstractFunction1;

/**
 * The function of a barrier stage's tasks: check in with the driver, then until told to stop,
 * take a command and answer it: a step's θ gives the partition's gradient sum
 * ({@link StepTask#compute}, the code jobs mode runs); an evaluation gives the loss and metric
 * sums of the partition's validation block ({@link SparkEvaluator#evaluate}, the code of the
 * validation job). The stage's partition holds the training worker, then, when the run has
 * validation data, the validation worker of the same index. Returns nothing. Where the driver's
 * hub is in this JVM (local mode) the channel is a hand-over in memory; otherwise a TCP
 * connection to the driver.
 */
final class BarrierTask extends AbstractFunction1<scala.collection.Iterator<PartitionWorker>,
    scala.collection.Iterator<Object>> implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String runKey;
  private final String host;
  private final int port;
  private final byte[] secret;
  /** AES key bits of the TCP channel; 0: plain frames. */
  private final int bits;
  private final int generation;
  private final int floats;
  private final int timeoutMillis;
  private final MetricSums metrics;

  private BarrierTask(String runKey, String host, int port, byte[] secret, int bits, int generation, int floats,
                      int timeoutMillis, MetricSums metrics) {
    this.runKey = runKey;
    this.host = host;
    this.port = port;
    this.secret = secret;
    this.bits = bits;
    this.generation = generation;
    this.floats = floats;
    this.timeoutMillis = timeoutMillis;
    this.metrics = metrics;
  }

  /** Tasks that meet the driver in its JVM, through the hub registered under {@code runKey}. */
  static BarrierTask local(String runKey, int generation, int timeoutMillis, MetricSums metrics) {
    return new BarrierTask(runKey, null, 0, null, 0, generation, 0, timeoutMillis, metrics);
  }

  /**
   * Tasks that connect to the driver at {@code host:port} and prove they know {@code secret}; their
   * frames are encrypted with {@code bits}-bit AES keys (0: plain).
   */
  static BarrierTask remote(String host, int port, byte[] secret, int bits, int generation, int floats,
                            int timeoutMillis, MetricSums metrics) {
    return new BarrierTask(null, host, port, secret, bits, generation, floats, timeoutMillis, metrics);
  }

  @Override
  public scala.collection.Iterator<Object> apply(scala.collection.Iterator<PartitionWorker> it) {
    PartitionWorker w = it.next();
    PartitionWorker validation = it.hasNext() ? it.next() : null;
    int p = BarrierTaskContext.get().partitionId();
    Links.DriverLink link;
    try {
      link = connect(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      serve(w, validation, link);
    } catch (IOException e) {
      link.fail(String.valueOf(e.getMessage()));
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      link.fail(e.toString());
      throw e;
    } finally {
      link.close();
    }
    return scala.collection.Iterator.empty();
  }

  private Links.DriverLink connect(int p) throws IOException {
    if (runKey != null) {
      LocalHub hub = LocalHub.find(runKey);
      if (hub == null) {
        throw new IOException("barrier task of partition " + p + " runs outside the driver's JVM but its stage"
            + " was started for local mode");
      }
      return hub.attach(generation, p, timeoutMillis * 1_000_000L);
    }
    return TcpDriverLink.connect(host, port, secret, bits, generation, p, floats, timeoutMillis);
  }

  /** The command loop; allocates nothing per step once the buffers exist. */
  private void serve(PartitionWorker w, PartitionWorker validation, Links.DriverLink link) throws IOException {
    Links.Command c = new Links.Command();
    StepResult r = new StepResult();
    StepResult none = new StepResult(); // an empty slice: zero sums, no gradient
    while (link.next(c)) {
      if (!c.evaluate) {
        link.reply(StepTask.compute(w, c.params, c.epoch, c.step, c.steps, r) ? r : none);
      } else if (validation == null || (c.metrics && metrics == null)) {
        throw new IOException("barrier task: asked to evaluate, but its stage carries no validation block"
            + (validation == null ? "" : " with metric sums"));
      } else {
        link.replyEvaluation(SparkEvaluator.evaluate(validation, c.params, c.metrics ? metrics : null));
      }
    }
  }
}
