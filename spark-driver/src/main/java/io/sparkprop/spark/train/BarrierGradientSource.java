package io.sparkprop.spark.train;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.metrics.MetricSums;
import io.sparkprop.core.train.Evaluator;
import io.sparkprop.core.train.GradientSource;
import io.sparkprop.core.train.PartitionWorker;
import io.sparkprop.core.train.Timings;
import io.sparkprop.spark.SparkOptions;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step gradients from one barrier stage per run ({@link SparkOptions.Sync#BARRIER}): at the first
 * step one barrier-mode stage is started over the cached partitions, one task per partition;
 * every step the driver sends θ to the tasks over their channel ({@link LocalHub} in local mode,
 * {@link SocketHub} otherwise), each task adds its slice's gradient exactly as in jobs mode
 * ({@link StepTask#compute}), and the driver adds the answers in partition order (or in the order
 * of {@link OrderedTree}'s tree for the same depth), so every step's sums are the floats jobs
 * mode computes. Epochs are only numbers in the step commands (a worker draws its epoch's
 * permutation from the seed and the epoch), so the stage runs on across them.
 *
 * <p>Validation ({@link #evaluator}) is a command on the same channel: the stage's partitions
 * are the training workers zipped with the validation workers of the same index, each task
 * evaluates its validation block with the code of the validation job
 * ({@link SparkEvaluator#evaluate}) and the driver merges the sums in partition order
 * ({@link SparkEvaluator#merge}), so the history equals jobs mode's. The stage ends when the run
 * ends ({@link #close}), when it fails, or when the driver needs a Spark job the channel cannot
 * do: validation data partitioned otherwise, or any other job of the application (a listener's,
 * another thread's; seen by a {@link SparkListener}), which would otherwise wait for task slots
 * the stage holds. The next step starts a new stage.
 *
 * <p>Where a barrier stage cannot run (more partitions than task slots, dynamic allocation) a step
 * runs as a Spark job instead ({@link SparkGradientSource}), with the reason logged. When a stage
 * fails (an executor lost, a task error, no answer within the timeout) it is cancelled, the step
 * or evaluation is recomputed as a job from the same θ (the driver holds θ and the optimizer
 * state) and the next step starts a new stage if the slots are there; after {@value #MAX_FAILURES}
 * failures the run stays in jobs mode. The result is the same floats either way.
 */
final class BarrierGradientSource implements GradientSource {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierGradientSource.class);
  private static final int MAX_FAILURES = 3;
  /**
   * Spark setting (or driver-thread local property) {@code tcp} makes local mode use the TCP
   * channel too (to measure it and test it); {@code auto} (default): in-JVM in local mode, TCP
   * otherwise.
   */
  public static final String CHANNEL = "spark.sparkprop.barrier.channel";
  private final SparkContext sc;
  private final Blocks blocks;
  private final SparkGradientSource jobs;
  private final int depth;
  private final int timeoutMillis;
  private final Timings timings = new Timings();
  /** The answer slots and their sum in jobs mode's order. */
  private final BarrierSums sums;
  private final SparkListener stopListener = new StopListener();
  /** The run's key: its jobs carry it ({@link BarrierStage#RUN}), the in-JVM hub is registered under it. */
  private final String run = UUID.randomUUID().toString();
  /** Held by the driver while it uses the stage; the listener thread only tries it. */
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Links.Hub hub;
  private BarrierStage stage;
  /** A stage told to return by the listener thread, not yet waited for. */
  private BarrierStage released;
  /** Set by the listener thread when another job started while the driver held the stage. */
  private volatile boolean yieldRequested;
  private Blocks validation;
  private MetricSums metrics;
  private SparkEvaluator validationJobs;
  private int generation;
  /** The epoch of the last step (for messages). */
  private int epoch;
  private int failures;
  private String disabled;
  private String lastReason;
  private long barrierSteps;
  private long jobSteps;

  /**
   * A source over converted blocks.
   *
   * @param depth tree depth of the gradient sum; 0 chooses {@link SparkGradientSource#autoDepth}
   * @param sync {@link SparkOptions.Sync#BARRIER} refuses a network-encryption setting its TCP channel
   *     cannot honour, {@link SparkOptions.Sync#AUTO} falls back to jobs for it
   * @throws IllegalArgumentException for {@code BARRIER} with Spark's network encryption on and a
   *     {@code spark.network.crypto.keyLength} other than 128, 192 or 256
   */
  public BarrierGradientSource(JavaSparkContext jsc, Blocks blocks, int depth, SparkOptions.Sync sync,
                               int timeoutSeconds) {
    this.sc = jsc.sc();
    this.blocks = blocks;
    this.jobs = new SparkGradientSource(jsc, blocks, depth);
    this.depth = jobs.depth();
    this.timeoutMillis = timeoutSeconds * 1000;
    this.sums = new BarrierSums(blocks.partitions(), this.depth);
    try {
      FrameCipher.keyBits(sc.getConf()); // the TCP channel encrypts as Spark's RPC does; checked here, used by the hub
    } catch (IllegalArgumentException e) {
      if (sync == SparkOptions.Sync.BARRIER) {
        throw new IllegalArgumentException("sync=barrier: " + e.getMessage(), e);
      }
      disabled = e.getMessage();
      LOG.info("training in jobs mode: {}", disabled);
    }
    sc.addSparkListener(stopListener);
  }

  /** The tree depth in use (1: every partition's result goes straight to the driver). */
  public int depth() {
    return depth;
  }

  /** Steps computed so far through barrier stages (diagnostics). */
  public long barrierSteps() {
    return barrierSteps;
  }

  /** Steps computed so far as Spark jobs, for lack of a barrier stage (diagnostics). */
  public long jobSteps() {
    return jobSteps;
  }

  /**
   * The TCP channel's address and protection while it is open, e.g. {@code 127.0.0.1:40123 AES-GCM-128};
   * else null (diagnostics).
   */
  String tcpChannel() {
    return hub instanceof SocketHub h ? h.address() + " " + h.protection() : null;
  }

  @Override
  public long size() {
    return blocks.size();
  }

  @Override
  public Timings timings() {
    return timings;
  }

  @Override
  public LossSums gradient(float[] params, int epoch, int step, int steps, float[] grad) {
    lock.lock();
    try {
      this.epoch = epoch;
      yieldIfAsked();
      if (stage == null && disabled == null) {
        start(params.length);
      }
      if (stage != null) {
        try {
          LossSums s = barrierStep(params, epoch, step, steps, grad);
          barrierSteps++;
          return s;
        } catch (IOException e) {
          failed(e, "at epoch " + (epoch + 1) + ", step " + step, "this step");
        }
      }
      long[] before = jobs.timings().snapshot();
      LossSums s = ours(() -> jobs.gradient(params, epoch, step, steps, grad));
      long[] after = jobs.timings().snapshot();
      for (Timings.Phase ph : Timings.Phase.values()) {
        timings.add(ph, after[ph.ordinal()] - before[ph.ordinal()]);
      }
      jobSteps++;
      return s;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The validation evaluator of this run: evaluations by the running stage's tasks (see the class
   * comment), else as a job ({@link SparkEvaluator}). Call before the first step, so that the
   * stage is started with the validation blocks.
   *
   * @param sums empty metric sums of the kind the trainer passes (null: none)
   */
  Evaluator evaluator(JavaSparkContext jsc, Blocks blocks, MetricSums sums) {
    this.validation = blocks;
    this.metrics = sums == null ? null : sums.empty();
    this.validationJobs = new SparkEvaluator(jsc, blocks);
    if (blocks.partitions() != this.blocks.partitions()) {
      LOG.info("validation data has {} partitions and training data {}: validation runs as a Spark job, which ends"
          + " the barrier stage every epoch", blocks.partitions(), this.blocks.partitions());
    }
    return Evaluator.withMetrics(this::validate);
  }

  /** Validation sums at {@code params}, merged into {@code m} (may be null), through the stage or a job. */
  private LossSums validate(float[] params, MetricSums m) {
    lock.lock();
    try {
      yieldIfAsked();
      boolean fits = m == null || metrics != null && m.getClass() == metrics.getClass();
      if (stage != null && stage.hasValidation() && fits) {
        try {
          return SparkEvaluator.merge(stage.evaluate(params, m != null), m);
        } catch (IOException e) {
          failed(e, "at epoch " + (epoch + 1) + ", validation", "the validation");
        }
      }
      if (stage != null) { // the job needs the slots the stage holds
        LOG.debug("ending barrier stage {} for the validation job", generation);
        BarrierStage s = stage;
        stage = null;
        s.finish();
      }
      return ours(() -> validationJobs.evaluate(params, m));
    } finally {
      lock.unlock();
    }
  }

  /** A failed stage: counted, cancelled, and after {@value #MAX_FAILURES} failures barrier mode is off. */
  private void failed(IOException e, String when, String what) {
    failures++;
    LOG.warn("barrier stage {} failed {} ({} of {} allowed failures): {}; computing {} as a Spark job from the same"
        + " parameters", generation, when, failures, MAX_FAILURES, e.getMessage(), what);
    BarrierStage f = stage;
    stage = null;
    f.abort();
    if (failures >= MAX_FAILURES) {
      disabled = failures + " barrier stages failed";
    }
  }

  /** Runs {@code job} with this run's key on its jobs, so that the listener does not take them for another's. */
  private <T> T ours(java.util.function.Supplier<T> job) {
    String owner = sc.getLocalProperty(BarrierStage.RUN);
    sc.setLocalProperty(BarrierStage.RUN, run);
    try {
      return job.get();
    } finally {
      sc.setLocalProperty(BarrierStage.RUN, owner);
    }
  }

  /** Waits for a stage the listener released, and ends the stage when another job asked for the slots. */
  private void yieldIfAsked() {
    if (released != null) {
      released.awaitEnd();
      released = null;
    }
    if (yieldRequested && stage != null) {
      LOG.info("ending barrier stage {}: another Spark job of the application waits for task slots", generation);
      BarrierStage s = stage;
      stage = null;
      s.finish();
    }
    yieldRequested = false;
  }

  /** Starts a stage if one can be scheduled; else notes (once per reason) why steps run as jobs. */
  private void start(int floats) {
    String why = BarrierStage.unschedulable(sc, sums.parts().length);
    if (why != null) {
      if (!why.equals(lastReason)) {
        LOG.warn("training steps run as Spark jobs: {}", why);
        lastReason = why;
      }
      return;
    }
    try {
      if (hub == null) {
        String channel = sc.getLocalProperty(CHANNEL) != null ? sc.getLocalProperty(CHANNEL)
            : sc.getConf().get(CHANNEL, "auto");
        boolean tcp = !sc.isLocal() || "tcp".equals(channel);
        hub = tcp ? SocketHub.onDriver(sc.getConf(), SocketHub.capacity(floats, metrics), timeoutMillis) : new LocalHub(run);
      }
      JavaRDD<PartitionWorker> val = validation != null && validation.partitions() == sums.parts().length
          ? validation.workers() : null;
      stage = BarrierStage.start(sc, run, blocks.workers(), val, metrics, hub, ++generation, timeoutMillis);
      if (generation == 1 || lastReason != null) {
        LOG.info("barrier stage {}: {} tasks, channel {}{}", generation, sums.parts().length,
            hub instanceof SocketHub ? "TCP " + tcpChannel() : "in-JVM", val == null ? "" : ", validation on it too");
      } else {
        LOG.debug("barrier stage {} started", generation);
      }
      lastReason = null;
    } catch (IOException | RuntimeException e) { // RuntimeException: Spark refused the stage outright
      failures++;
      LOG.warn("barrier stage {} could not start ({} of {} allowed failures): {}", generation, failures, MAX_FAILURES,
          e.getMessage());
      if (failures >= MAX_FAILURES) {
        disabled = failures + " barrier stages failed";
        LOG.warn("training steps run as Spark jobs for the rest of the run: {}", disabled);
      }
    }
  }

  /** One step through the running stage; the sums in the order jobs mode adds them. */
  private LossSums barrierStep(float[] params, int epoch, int step, int steps, float[] grad) throws IOException {
    long t0 = System.nanoTime();
    stage.send(params, epoch, step, steps);
    long t1 = System.nanoTime();
    stage.receive(sums.parts());
    long compute = sums.computeNanos();
    LossSums s = sums.sum(grad);
    long t2 = System.nanoTime();
    timings.add(Timings.Phase.BROADCAST, t1 - t0);
    timings.add(Timings.Phase.COMPUTE, compute);
    timings.add(Timings.Phase.AGGREGATE, t2 - t1 - compute);
    return s;
  }

  /** Ends a running stage (its tasks return), releases the port or registry entry and the listener. Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      yieldRequested = false;
      yieldIfAsked();
      if (stage != null) {
        BarrierStage s = stage;
        stage = null;
        s.finish();
      }
      Links.Hub h = hub;
      hub = null;
      if (h != null) {
        h.close();
      }
    } finally {
      lock.unlock();
    }
    sc.removeSparkListener(stopListener);
  }

  /**
   * Closes the channels when the application ends, so that waiting tasks and the driver return;
   * releases the stage's task slots when another job of the application starts.
   */
  private final class StopListener extends SparkListener {
    @Override
    public void onApplicationEnd(SparkListenerApplicationEnd end) {
      Links.Hub h = hub;
      if (h != null) {
        h.closeLinks();
      }
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      java.util.Properties p = start.properties();
      if (p != null && run.equals(p.getProperty(BarrierStage.RUN))) {
        return;
      }
      // The driver thread may be inside that job (a listener's), so it cannot end the stage: do it
      // here when the stage is idle, else ask the driver to at its next command.
      if (lock.tryLock()) {
        try {
          if (stage != null) {
            LOG.info("releasing barrier stage {}: Spark job {} of the application needs task slots", generation,
                start.jobId());
            released = stage;
            stage = null;
            released.release();
          }
        } finally {
          lock.unlock();
        }
      } else {
        yieldRequested = true;
      }
    }
  }
}
