package io.sparkprop.spark.train;

import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.train.GradientSource;
import io.sparkprop.core.train.Timings;
import io.sparkprop.spark.SparkOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step gradients from a barrier stage per epoch ({@link SparkOptions.Sync#BARRIER}): at an
 * epoch's first step one barrier-mode stage is started over the cached partitions, one task per
 * partition; every step the driver sends θ to the tasks over their channel ({@link LocalHub} in
 * local mode, {@link SocketHub} otherwise), each task adds its slice's gradient exactly as in jobs
 * mode ({@link StepTask#compute}), and the driver adds the answers in partition order (or in the
 * order of {@link OrderedTree}'s tree for the same depth), so every step's sums are the floats
 * jobs mode computes. After the epoch's last step the tasks return and the stage ends, leaving the
 * executors free for the validation job and the checkpoint.
 *
 * <p>Where a barrier stage cannot run (more partitions than task slots, dynamic allocation) a step
 * runs as a Spark job instead ({@link SparkGradientSource}), with the reason logged. When a stage
 * fails mid-epoch (an executor lost, a task error, no answer within the timeout) it is cancelled,
 * the step is recomputed as a job from the same θ (the driver holds θ and the optimizer state)
 * and the next step starts a new stage if the slots are there; after {@value #MAX_FAILURES}
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
  private final StepResult[] parts;
  private final StepResult[] copies;
  private final SparkListener stopListener = new StopListener();
  private volatile Links.Hub hub;
  private BarrierStage stage;
  private int generation;
  private int failures;
  private String disabled;
  private String lastReason;
  private long barrierSteps;
  private long jobSteps;

  /**
   * A source over converted blocks.
   *
   * @param depth tree depth of the gradient sum; 0 chooses {@link SparkGradientSource#autoDepth}
   * @param sync {@link SparkOptions.Sync#BARRIER} refuses network encryption, {@link SparkOptions.Sync#AUTO} falls
   *     back to jobs for it
   * @throws IllegalStateException for {@code BARRIER} on a cluster with {@code spark.network.crypto.enabled}
   */
  public BarrierGradientSource(JavaSparkContext jsc, Blocks blocks, int depth, SparkOptions.Sync sync,
                               int timeoutSeconds) {
    this.sc = jsc.sc();
    this.blocks = blocks;
    this.jobs = new SparkGradientSource(jsc, blocks, depth);
    this.depth = jobs.depth();
    this.timeoutMillis = timeoutSeconds * 1000;
    this.parts = new StepResult[blocks.partitions()];
    this.copies = new StepResult[this.depth == 1 ? 0 : blocks.partitions()];
    for (int i = 0; i < copies.length; i++) {
      copies[i] = new StepResult();
    }
    String encrypted = encryption(sc.getConf());
    if (encrypted != null && !sc.isLocal()) {
      String m = "sync=barrier sends parameters and gradients over its own channel, which is authenticated but not"
          + " encrypted, and " + encrypted + " is on; use sync=jobs (Spark's encrypted RPC) on this cluster";
      if (sync == SparkOptions.Sync.BARRIER) {
        throw new IllegalStateException(m);
      }
      disabled = m;
      LOG.info("training in jobs mode: {}", m);
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
    if (stage == null && disabled == null) {
      start(params.length);
    }
    if (stage != null) {
      try {
        LossSums s = barrierStep(params, epoch, step, steps, grad);
        barrierSteps++;
        if (step == steps - 1) {
          BarrierStage done = stage;
          stage = null;
          done.finish();
        }
        return s;
      } catch (IOException e) {
        failures++;
        LOG.warn("barrier stage {} failed at epoch {}, step {} ({} of {} allowed failures): {}; computing this step"
            + " as a Spark job from the same parameters", generation, epoch + 1, step, failures, MAX_FAILURES,
            e.getMessage());
        BarrierStage failed = stage;
        stage = null;
        failed.abort();
        if (failures >= MAX_FAILURES) {
          disabled = failures + " barrier stages failed";
        }
      }
    }
    long[] before = jobs.timings().snapshot();
    LossSums s = jobs.gradient(params, epoch, step, steps, grad);
    long[] after = jobs.timings().snapshot();
    for (Timings.Phase ph : Timings.Phase.values()) {
      timings.add(ph, after[ph.ordinal()] - before[ph.ordinal()]);
    }
    jobSteps++;
    return s;
  }

  /** Starts a stage if one can be scheduled; else notes (once per reason) why steps run as jobs. */
  private void start(int floats) {
    String why = unschedulable();
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
        hub = tcp ? socketHub(floats) : new LocalHub(UUID.randomUUID().toString());
      }
      stage = BarrierStage.start(sc, blocks.workers().rdd(), hub, ++generation, timeoutMillis);
      if (generation == 1 || lastReason != null) {
        LOG.info("barrier stage {}: {} tasks, channel {}", generation, parts.length,
            hub instanceof SocketHub h ? "TCP " + h.address() : "in-JVM");
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

  private SocketHub socketHub(int floats) throws IOException {
    SparkConf conf = sc.getConf();
    String host = conf.get("spark.driver.host", InetAddress.getLocalHost().getHostAddress());
    return new SocketHub(conf.get("spark.driver.bindAddress", host), host, floats, timeoutMillis);
  }

  /** Why no barrier stage can be scheduled now, or null. */
  private String unschedulable() {
    if (!sc.isLocal() && sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false)) {
      return "dynamic allocation is on, and barrier stages need a fixed set of executors";
    }
    int slots = slots(sc);
    if (parts.length > slots) {
      return "a barrier stage needs a task slot per partition: " + parts.length + " partitions, " + slots
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

  /** The name of the network-encryption setting that is on, or null. */
  private static String encryption(SparkConf conf) {
    if (conf.getBoolean("spark.network.crypto.enabled", false)) {
      return "spark.network.crypto.enabled";
    }
    if (conf.getBoolean("spark.authenticate.enableSaslEncryption", false)) {
      return "spark.authenticate.enableSaslEncryption";
    }
    return null;
  }

  /** One step through the running stage; the sums in the order jobs mode adds them. */
  private LossSums barrierStep(float[] params, int epoch, int step, int steps, float[] grad) throws IOException {
    long t0 = System.nanoTime();
    stage.send(params, epoch, step, steps);
    long t1 = System.nanoTime();
    stage.receive(parts);
    long compute = 0;
    for (StepResult r : parts) {
      compute = Math.max(compute, r.computeNanos);
    }
    LossSums s = depth == 1 ? sumInOrder(grad) : sumAsTree(grad);
    long t2 = System.nanoTime();
    timings.add(Timings.Phase.BROADCAST, t1 - t0);
    timings.add(Timings.Phase.COMPUTE, compute);
    timings.add(Timings.Phase.AGGREGATE, t2 - t1 - compute);
    return s;
  }

  /** Σ over partitions in index order, as {@link OrderedTree#sumInOrder} adds (empty slices carry no gradient). */
  private LossSums sumInOrder(float[] grad) {
    boolean any = false;
    double loss = 0;
    long count = 0;
    long correct = 0;
    double weight = 0;
    for (StepResult r : parts) {
      loss += r.lossSum;
      count += r.count;
      correct += r.correct;
      weight += r.weight;
      if (r.grad != null) {
        r.addInto(grad, !any);
        any = true;
      }
    }
    if (!any) {
      Arrays.fill(grad, 0f);
    }
    return new LossSums(loss, count, correct, weight);
  }

  /** The tree of {@link OrderedTree#levels}, on copies (the answers are the channels' buffers). */
  private LossSums sumAsTree(float[] grad) {
    for (int p = 0; p < parts.length; p++) {
      copies[p].copyFrom(parts[p]);
    }
    StepResult total = OrderedTree.sumAsTree(Arrays.asList(copies), depth);
    if (total.grad == null) {
      Arrays.fill(grad, 0f);
    } else {
      System.arraycopy(total.grad, 0, grad, 0, grad.length);
    }
    return total.sums();
  }

  /** Ends a running stage, releases the port or registry entry and the listener. Idempotent. */
  @Override
  public void close() {
    if (stage != null) {
      BarrierStage s = stage;
      stage = null;
      s.abort();
    }
    Links.Hub h = hub;
    hub = null;
    if (h != null) {
      h.close();
    }
    sc.removeSparkListener(stopListener);
  }

  /** Closes the channels when the application ends, so that waiting tasks and the driver return. */
  private final class StopListener extends SparkListener {
    @Override
    public void onApplicationEnd(SparkListenerApplicationEnd end) {
      Links.Hub h = hub;
      if (h != null) {
        h.closeLinks();
      }
    }
  }
}
