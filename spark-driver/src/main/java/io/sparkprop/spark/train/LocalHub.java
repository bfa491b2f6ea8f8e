package io.sparkprop.spark.train;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The barrier channel where the tasks run in the driver's JVM (local mode): no sockets, no copies.
 * The hub is found by tasks through a static registry keyed by the run's random key; each task
 * gets a {@link Channel}, a monitor through which the driver hands over a reference to θ (which it
 * does not change until every answer is in) and the task hands back its own result buffer. Waits
 * are {@code wait(timeout)} on the monitor: no spinning, bounded, interruptible.
 */
final class LocalHub implements Links.Hub {
  private static final Map<String, LocalHub> RUNS = new ConcurrentHashMap<>();
  private static final long SLICE_NANOS = 100_000_000L;
  private final String key;
  private int generation = -1;
  private Channel[] channels = new Channel[0];
  private int attached;
  private boolean closed;

  LocalHub(String key) {
    this.key = key;
    RUNS.put(key, this);
  }

  /** The hub of run {@code key} in this JVM, or null when the driver is elsewhere. */
  static LocalHub find(String key) {
    return RUNS.get(key);
  }

  @Override
  public synchronized void open(int gen, int parts) {
    closeLinks();
    generation = gen;
    channels = new Channel[parts];
    attached = 0;
  }

  @Override
  public BarrierTask task(int gen, int timeoutMillis, io.sparkprop.core.metrics.MetricSums metrics) {
    return BarrierTask.local(key, gen, timeoutMillis, metrics);
  }

  /** Checks in partition {@code p}'s task of stage {@code gen}; refuses stale or duplicate ones. */
  synchronized Links.DriverLink attach(int gen, int p, long idleNanos) {
    if (closed || gen != generation || p < 0 || p >= channels.length || channels[p] != null) {
      throw new IllegalStateException("barrier task of partition " + p + ", stage " + gen
          + " is not expected (the driver runs stage " + generation + ")");
    }
    Channel c = new Channel(idleNanos);
    channels[p] = c;
    attached++;
    notifyAll();
    return c;
  }

  @Override
  public synchronized Links.TaskLink[] awaitAll(BooleanSupplier done, long deadlineNanos) throws IOException {
    try {
      while (attached < channels.length) {
        long left = deadlineNanos - System.nanoTime();
        if (closed || done.getAsBoolean() || left <= 0) {
          throw new IOException("barrier stage: " + attached + " of " + channels.length + " tasks checked in"
              + (closed ? " before the run was closed" : left <= 0 ? " within the timeout" : " before the stage ended"));
        }
        // the stage's end is not signalled here, hence the bounded slice
        long w = Math.min(left, SLICE_NANOS);
        wait(w / 1_000_000, (int) (w % 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for barrier tasks");
    }
    return channels.clone();
  }

  @Override
  public synchronized void closeLinks() {
    for (Channel c : channels) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeLinks();
    RUNS.remove(key, this);
    notifyAll();
  }

  /** One task's hand-over point; both ends of the channel. */
  static final class Channel implements Links.TaskLink, Links.DriverLink {
    private final long idleNanos;
    private float[] params;
    private int epoch;
    private int step;
    private int steps;
    private boolean command;
    private boolean evaluate;
    private boolean metrics;
    private boolean stop;
    private StepResult result;
    private Links.Evaluation evaluation;
    private String error;
    private boolean closed;

    /** A channel whose task gives up after {@code idleNanos} without a command. */
    Channel(long idleNanos) {
      this.idleNanos = idleNanos;
    }

    @Override
    public synchronized void send(float[] p, int e, int s, int n) throws IOException {
      if (closed || error != null) {
        throw new IOException("barrier task " + (error != null ? "failed: " + error : "channel closed"));
      }
      params = p;
      epoch = e;
      step = s;
      steps = n;
      evaluate = false;
      result = null;
      command = true;
      notifyAll();
    }

    @Override
    public synchronized void sendEvaluate(float[] p, boolean withMetrics) throws IOException {
      send(p, 0, 0, 0);
      evaluate = true;
      metrics = withMetrics;
      evaluation = null;
    }

    @Override
    public synchronized StepResult receive(long timeoutNanos) throws IOException {
      await(timeoutNanos, false);
      return result;
    }

    @Override
    public synchronized Links.Evaluation receiveEvaluation(long timeoutNanos) throws IOException {
      await(timeoutNanos, true);
      return evaluation;
    }

    /** Waits (bounded) for the answer to the last command. */
    private void await(long timeoutNanos, boolean eval) throws IOException {
      long deadline = System.nanoTime() + timeoutNanos;
      try {
        while ((eval ? evaluation : result) == null && error == null && !closed) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new IOException("barrier task did not answer within " + timeoutNanos / 1_000_000 + " ms");
          }
          wait(left / 1_000_000, (int) (left % 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for a barrier task");
      }
      if (error != null) {
        throw new IOException("barrier task failed: " + error);
      }
      if ((eval ? evaluation : result) == null) {
        throw new IOException("barrier channel closed");
      }
    }

    @Override
    public synchronized void stop() {
      stop = true;
      notifyAll();
    }

    @Override
    public synchronized boolean next(Links.Command c) throws IOException {
      long deadline = System.nanoTime() + idleNanos;
      try {
        while (!command && !stop && !closed) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new IOException("barrier task: no command from the driver within " + idleNanos / 1_000_000 + " ms");
          }
          wait(left / 1_000_000, (int) (left % 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("barrier task interrupted");
      }
      if (command) {
        command = false;
        c.params = params;
        c.epoch = epoch;
        c.step = step;
        c.steps = steps;
        c.evaluate = evaluate;
        c.metrics = metrics;
        return true;
      }
      if (stop) {
        return false;
      }
      throw new IOException("barrier channel closed by the driver");
    }

    @Override
    public synchronized void reply(StepResult r) {
      result = r;
      notifyAll();
    }

    @Override
    public synchronized void replyEvaluation(Links.Evaluation e) {
      evaluation = e;
      notifyAll();
    }

    @Override
    public synchronized void fail(String message) {
      error = message;
      notifyAll();
    }

    @Override
    public synchronized void close() {
      closed = true;
      notifyAll();
    }
  }
}
