package io.sparkprop.spark.train;

import io.sparkprop.core.metrics.MetricSums;
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
 * One running barrier stage: one task per cached partition, all checked in with the driver, for
 * the whole run. Its job is submitted asynchronously ({@link Jobs#submit}; the tasks return
 * nothing) with {@code spark.job.interruptOnCancel}, so cancelling it interrupts tasks that still
 * wait, and with the local property {@link #RUN} naming the run, so that the source can tell its
 * own stages from other jobs. With validation blocks of the same partition count, each
 * partition of the stage is the training worker zipped with the validation worker of the same
 * index (co-located where Spark can), and the tasks also answer evaluations.
 */
final class BarrierStage {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierStage.class);
  private final Links.Hub hub;
  private final JavaFutureAction<Void> job;
  private final Links.TaskLink[] links;
  private final long timeoutNanos;
  private final boolean validation;
  /** Local property set on a stage's job: the key of the run that started it. */
  static final String RUN = "sparkprop.barrier.run";

  private BarrierStage(Links.Hub hub, JavaFutureAction<Void> job, Links.TaskLink[] links, long timeoutNanos,
                       boolean validation) {
    this.validation = validation;
    this.hub = hub;
    this.job = job;
    this.links = links;
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * Submits stage {@code generation} of run {@code run} over {@code workers} (zipped with
   * {@code validation} when not null; then {@code metrics}, the empty sums evaluations fill, may
   * be null) and waits until all its tasks have checked in.
   */
  static BarrierStage start(SparkContext sc, String run, JavaRDD<PartitionWorker> workers,
                            JavaRDD<PartitionWorker> validation, MetricSums metrics, Links.Hub hub, int generation,
                            int timeoutMillis) throws IOException {
    int parts = workers.getNumPartitions();
    hub.open(generation, parts);
    JavaRDD<PartitionWorker> input = validation == null ? workers : workers.zipPartitions(validation, new Zip());
    RDD<Object> rdd = input.rdd().barrier().mapPartitions(
        hub.task(generation, timeoutMillis, validation == null ? null : metrics), false, ClassTag.AnyRef());
    String interrupt = sc.getLocalProperty("spark.job.interruptOnCancel");
    String description = sc.getLocalProperty("spark.job.description");
    String owner = sc.getLocalProperty(RUN);
    sc.setLocalProperty("spark.job.interruptOnCancel", "true");
    sc.setLocalProperty("spark.job.description", "sparkprop barrier stage " + generation);
    sc.setLocalProperty(RUN, run);
    JavaFutureAction<Void> job;
    try {
      job = Jobs.submit(sc, rdd);
    } finally {
      sc.setLocalProperty("spark.job.interruptOnCancel", interrupt);
      sc.setLocalProperty("spark.job.description", description);
      sc.setLocalProperty(RUN, owner);
    }
    long timeoutNanos = timeoutMillis * 1_000_000L;
    try {
      Links.TaskLink[] links = hub.awaitAll(job::isDone, System.nanoTime() + timeoutNanos);
      return new BarrierStage(hub, job, links, timeoutNanos, validation != null);
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
    checkRunning();
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

  /** Whether the tasks hold validation blocks (and answer evaluations). */
  boolean hasValidation() {
    return validation;
  }

  /** Every task's validation sums at {@code params} (with metric sums when {@code metrics}), in partition order. */
  java.util.List<Links.Evaluation> evaluate(float[] params, boolean metrics) throws IOException {
    checkRunning();
    for (Links.TaskLink l : links) {
      l.sendEvaluate(params, metrics);
    }
    Links.Evaluation[] out = new Links.Evaluation[links.length];
    for (int p = 0; p < links.length; p++) {
      out[p] = links[p].receiveEvaluation(timeoutNanos);
    }
    return java.util.Arrays.asList(out);
  }

  private void checkRunning() throws IOException {
    if (job.isDone()) { // cancelled, or failed (a lost executor), while its tasks may still hold their channels
      throw new IOException("the barrier stage's job ended" + (job.isCancelled() ? " (cancelled)" : cause(job)));
    }
  }

  /** Tells the tasks to return and waits (bounded) for the job to end. */
  void finish() {
    release();
    awaitEnd();
  }

  /**
   * Tells the tasks to return and closes the channels without waiting (a STOP is read before the
   * close), so that the slots free up while the caller cannot wait; {@link #awaitEnd} later.
   */
  void release() {
    for (Links.TaskLink l : links) {
      l.stop();
    }
    hub.closeLinks();
  }

  /** Waits (bounded) for the job to end. */
  void awaitEnd() {
    end(job, timeoutNanos);
  }

  /** Fails the stage: closes the channels (waiting tasks fail), cancels the job and waits for it. */
  void abort() {
    hub.closeLinks();
    job.cancel(true);
    end(job, timeoutNanos);
  }

  /** Waits up to {@code timeoutNanos} for {@code job} to end; its failure is the caller's to report. */
  private static void end(JavaFutureAction<Void> job, long timeoutNanos) {
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

  /** Why no barrier stage of {@code parts} tasks can be scheduled now, or null. */
  static String unschedulable(SparkContext sc, int parts) {
    if (!sc.isLocal() && sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false)) {
      return "dynamic allocation is on, and barrier stages need a fixed set of executors";
    }
    int slots = slots(sc);
    if (parts > slots) {
      return "a barrier stage needs a task slot per partition: " + parts + " partitions, " + slots
          + " task slots";
    }
    return null;
  }

  /** Tasks the cluster can run at once now. */
  private static int slots(SparkContext sc) {
    try {
      return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
    } catch (RuntimeException | LinkageError e) { // package-private in Scala; guard against a changed Spark
      return sc.defaultParallelism();
    }
  }

  /** The training worker, then the validation worker of the same partition. */
  private static final class Zip implements org.apache.spark.api.java.function.FlatMapFunction2<
      java.util.Iterator<PartitionWorker>, java.util.Iterator<PartitionWorker>, PartitionWorker> {
    private static final long serialVersionUID = 1L;

    @Override
    public java.util.Iterator<PartitionWorker> call(java.util.Iterator<PartitionWorker> a,
                                                    java.util.Iterator<PartitionWorker> b) {
      return java.util.List.of(a.next(), b.next()).iterator();
    }
  }

  /** The job's failure, as a suffix for messages. */
  static String cause(JavaFutureAction<Void> job) {
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
