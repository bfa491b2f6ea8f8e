package io.sparkprop.spark.train;

import io.sparkprop.core.train.PartitionWorker;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag;

/**
 * One running barrier stage: one task per cached partition, all checked in with the driver. Its
 * job is submitted asynchronously ({@code countAsync}; the tasks return nothing) with
 * {@code spark.job.interruptOnCancel}, so cancelling it interrupts tasks that still wait.
 */
final class BarrierStage {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierStage.class);
  private final Links.Hub hub;
  private final JavaFutureAction<Long> job;
  private final Links.TaskLink[] links;
  private final long timeoutNanos;

  private BarrierStage(Links.Hub hub, JavaFutureAction<Long> job, Links.TaskLink[] links, long timeoutNanos) {
    this.hub = hub;
    this.job = job;
    this.links = links;
    this.timeoutNanos = timeoutNanos;
  }

  /** Submits stage {@code generation} over {@code workers} and waits until all its tasks have checked in. */
  static BarrierStage start(SparkContext sc, RDD<PartitionWorker> workers, Links.Hub hub, int generation,
                            int timeoutMillis) throws IOException {
    int parts = workers.getNumPartitions();
    hub.open(generation, parts);
    RDD<Object> rdd = workers.barrier().mapPartitions(hub.task(generation, timeoutMillis), false, ClassTag.AnyRef());
    String interrupt = sc.getLocalProperty("spark.job.interruptOnCancel");
    String description = sc.getLocalProperty("spark.job.description");
    sc.setLocalProperty("spark.job.interruptOnCancel", "true");
    sc.setLocalProperty("spark.job.description", "sparkprop barrier stage " + generation);
    JavaFutureAction<Long> job;
    try {
      job = JavaRDD.fromRDD(rdd, ClassTag.AnyRef()).countAsync();
    } finally {
      sc.setLocalProperty("spark.job.interruptOnCancel", interrupt);
      sc.setLocalProperty("spark.job.description", description);
    }
    long timeoutNanos = timeoutMillis * 1_000_000L;
    try {
      Links.TaskLink[] links = hub.awaitAll(job::isDone, System.nanoTime() + timeoutNanos);
      return new BarrierStage(hub, job, links, timeoutNanos);
    } catch (IOException | RuntimeException e) {
      hub.closeLinks();
      String why = cause(job);
      job.cancel(true); // a stage still waiting for slots would never end by itself
      end(job, timeoutNanos);
      throw new IOException(e.getMessage() + why, e);
    }
  }

  /** Sends θ and the step to every task. */
  void send(float[] params, int epoch, int step, int steps) throws IOException {
    if (job.isDone()) { // cancelled, or failed (a lost executor), while its tasks may still hold their channels
      throw new IOException("the barrier stage's job ended" + (job.isCancelled() ? " (cancelled)" : cause(job)));
    }
    for (Links.TaskLink l : links) {
      l.send(params, epoch, step, steps);
    }
  }

  /** The tasks' answers to the last step, into {@code out} in partition order. */
  void receive(StepResult[] out) throws IOException {
    for (int p = 0; p < links.length; p++) {
      out[p] = links[p].receive(timeoutNanos);
    }
  }

  /** Tells the tasks to return and waits (bounded) for the job to end. */
  void finish() {
    for (Links.TaskLink l : links) {
      l.stop();
    }
    end(job, timeoutNanos);
    hub.closeLinks();
  }

  /** Fails the stage: closes the channels (waiting tasks fail), cancels the job and waits for it. */
  void abort() {
    hub.closeLinks();
    job.cancel(true);
    end(job, timeoutNanos);
  }

  /** Waits up to {@code timeoutNanos} for {@code job} to end; its failure is the caller's to report. */
  private static void end(JavaFutureAction<Long> job, long timeoutNanos) {
    try {
      job.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.debug("barrier job ended with {}", e.toString());
    }
    if (!job.isDone()) {
      job.cancel(true);
    }
  }

  /** The job's failure, as a suffix for messages. */
  static String cause(JavaFutureAction<Long> job) {
    if (!job.isDone() || job.isCancelled()) {
      return "";
    }
    try {
      job.get();
      return "";
    } catch (Exception e) {
      Throwable t = e.getCause() != null ? e.getCause() : e;
      return "; the stage failed: " + t.getMessage();
    }
  }
}
