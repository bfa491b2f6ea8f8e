package io.sparkprop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.spark.checkpoint.HadoopCheckpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled MNIST example ({@code data/mnist10k}: 8,000 training and 2,000 test images, the
 * 784-256-128-10 MLP of the default config) trained by the application jar's {@code train}
 * command on a real standalone cluster: a master and two workers (1 core each), every one its own
 * JVM, and a driver in its own JVM (spark-submit, client mode). Fixed partitioning (2 partitions)
 * and seed, 5 epochs (enough that a kill after epoch 1 lands inside the run even in barrier mode,
 * where an epoch takes about a second); driver and executors run with a 512 MiB heap.
 *
 * <p>One undisturbed cluster run (in {@link #startClusterAndTrain}; sync auto, which here is a
 * barrier stage per run over TCP) is the reference. Every other run must produce a model whose
 * parameters are equal to it bit for bit: the same job in Spark local mode ({@code local[2]},
 * barrier mode's in-JVM channel), the same job in jobs mode (a Spark job per step), a run whose
 * executor is killed (SIGKILL) in the middle of training, and a run whose driver is killed after
 * a checkpoint and then resumed from it.
 * The cluster is shared by the tests of the class and every process is gone afterwards.
 *
 * <p>Each test prints its run times and the epoch times of its jobs (the epoch lines of the
 * driver log).
 */
class MnistClusterIT {
  private static final String MAIN = "io.sparkprop.cli.Main";
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(15);
  private static final int EPOCHS = 5;
  private static final String HEAP = "512m";
  /** Test accuracy the 2-epoch run must reach (it reaches about 0.91 with the seed below). */
  private static final double ACCURACY_FLOOR = 0.90;
  private static final Pattern CACHED_BLOCK = Pattern.compile("Block (rdd_\\d+_\\d+) stored ");
  private static final Pattern EPOCH_LINE = Pattern.compile("(?m)^epoch (\\d+)/\\d+ - loss .* - ([0-9.]+) s, ");

  private static StandaloneCluster cluster;
  private static Path appJar;
  private static Path dir;
  private static DriverSettings onCluster;
  private static StandaloneCluster.Submission reference;
  private static List<String> referenceDriverArgs;
  private static Path referenceModel;

  @BeforeAll
  static void startClusterAndTrain() throws Exception {
    appJar = Path.of(System.getProperty("sparkprop.appJar", "target/sparkprop-app.jar")).toAbsolutePath();
    dir = Files.createTempDirectory(Path.of("target"), "it-mnist-").toAbsolutePath();
    long t0 = System.nanoTime();
    cluster = StandaloneCluster.start(StandaloneCluster.Settings.fromSystemProperties(dir, 2));
    System.out.printf(Locale.ROOT, "cluster %s up in %.1f s%n", cluster.masterUrl(), seconds(t0));
    onCluster = DriverSettings.DEFAULTS.withMemory(HEAP).withSubmitArgs(List.of("--executor-memory", HEAP));

    t0 = System.nanoTime();
    reference = cluster.submit(appJar, MAIN, train(dir.resolve("reference")), onCluster);
    referenceDriverArgs = reference.awaitJvmArguments(JOB_TIMEOUT);
    int exit = reference.awaitExit(JOB_TIMEOUT);
    report("reference run on the cluster", reference, t0);
    assertThat(exit).as("driver exit code; log %s", reference.log()).isZero();
    referenceModel = dir.resolve("reference/model");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster == null) {
      return;
    }
    cluster.close();
    assertThat(cluster.processesLeft()).as("processes left after cluster.sh stop").isEmpty();
    for (long pid : cluster.knownPids()) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d alive", pid).isFalse();
    }
  }

  @Test
  void theClusterTrainsTheBundledExampleWithHalfAGigabyteForTheDriverAndEachExecutor() throws Exception {
    assertThat(reference.output()).contains("training on Spark 4.2.0, master " + cluster.masterUrl() + ", 2 partitions",
        "epoch " + EPOCHS + "/" + EPOCHS + " - loss ");
    assertThat(referenceDriverArgs).as("driver JVM").contains("-Xmx" + HEAP);
    String appId = appId(reference);
    List<StandaloneCluster.Executor> executors = cluster.executors(appId);
    assertThat(executors).extracting(StandaloneCluster.Executor::worker).containsExactlyInAnyOrder(1, 2);
    for (StandaloneCluster.Executor e : executors) {
      String log = Files.readString(e.stderr());
      assertThat(log).as("executor command in %s", e.stderr()).contains("\"-Xmx" + HEAP.toUpperCase(Locale.ROOT) + "\"");
      assertThat(log).as(e.stderr().toString()).doesNotContain("OutOfMemoryError");
    }
    assertThat(reference.output()).doesNotContain("OutOfMemoryError").doesNotContain("Give the executors more memory");

    JsonNode metrics = new ObjectMapper().readTree(dir.resolve("reference/metrics.json").toFile());
    assertThat(metrics.get("epochs").asInt()).isEqualTo(EPOCHS);
    assertThat(metrics.get("test_samples").asInt()).isEqualTo(2000);
    assertThat(metrics.get("test_accuracy").asDouble()).isGreaterThanOrEqualTo(ACCURACY_FLOOR);
  }

  @Test
  void theClusterModelEqualsTheLocalModeModelBitForBit() throws Exception {
    // The same launcher and JVM flags (so the same BLAS), the whole job in the driver's JVM.
    long t0 = System.nanoTime();
    StandaloneCluster.Submission local = cluster.submit(appJar, MAIN, train(dir.resolve("local")),
        DriverSettings.DEFAULTS.withMaster("local[2]"));
    int exit = local.awaitExit(JOB_TIMEOUT);
    report("the same job in local[2] mode", local, t0);
    assertThat(exit).as("driver exit code; log %s", local.log()).isZero();
    assertThat(local.output()).contains("master local[2], 2 partitions");
    assertBitIdentical(dir.resolve("local/model"));
  }

  @Test
  void theBarrierRunOverTcpEqualsAJobPerStepBitForBit() throws Exception {
    assertThat(reference.output()).contains("barrier stage 1: 2 tasks, channel TCP").doesNotContain("run as Spark jobs");
    long t0 = System.nanoTime();
    StandaloneCluster.Submission jobs = cluster.submit(appJar, MAIN, train(dir.resolve("jobs"),
        List.of("--set", "spark.conf.spark.sparkprop.sync=jobs")), onCluster);
    int exit = jobs.awaitExit(JOB_TIMEOUT);
    report("the same job in jobs mode (a Spark job per step)", jobs, t0);
    assertThat(exit).as("driver exit code; log %s", jobs.log()).isZero();
    assertThat(jobs.output()).doesNotContain("barrier stage");
    assertBitIdentical(dir.resolve("jobs/model"));
  }

  @Test
  void anExecutorKilledInTheMiddleOfAnEpochChangesNothing() throws Exception {
    long t0 = System.nanoTime();
    StandaloneCluster.Submission job = cluster.submit(appJar, MAIN, train(dir.resolve("executor-killed")), onCluster);
    String appId = job.awaitAppId(JOB_TIMEOUT);
    List<StandaloneCluster.Executor> live = cluster.awaitLiveExecutors(appId, 2, JOB_TIMEOUT);
    // Epoch 1 is over (its cached blocks are in use); later epochs' steps run now.
    StandaloneCluster.awaitText(job.log(), "epoch 1/" + EPOCHS + " - loss ", JOB_TIMEOUT);
    StandaloneCluster.Executor victim = live.get(0);
    cluster.kill(victim, Duration.ofSeconds(30));
    assertThat(victim.isAlive()).isFalse();
    assertThat(job.output()).as("the kill fell inside the run").doesNotContain("epoch " + EPOCHS + "/" + EPOCHS
        + " - loss ");

    int exit = job.awaitExit(JOB_TIMEOUT);
    report("run with executor " + victim.executorId() + " killed after epoch 1", job, t0);
    assertThat(exit).as("driver exit code; log %s", job.log()).isZero();
    assertThat(job.output()).contains("Lost executor " + victim.executorId(), "epoch " + EPOCHS + "/" + EPOCHS
        + " - loss ");
    // Barrier mode noticed: the running stage failed (its step recomputed as a job), or, between
    // stages, the next one found a slot missing and steps ran as jobs until the executor was back.
    assertThat(job.output()).containsAnyOf(" failed at epoch ", "training steps run as Spark jobs");
    // The victim's cached blocks were lost with it; Spark rebuilt them on another executor from their lineage.
    Set<String> lost = cachedBlocks(victim);
    Set<String> rebuilt = new TreeSet<>();
    for (StandaloneCluster.Executor e : cluster.executors(appId)) {
      if (!e.executorId().equals(victim.executorId())) {
        rebuilt.addAll(cachedBlocks(e));
      }
    }
    assertThat(lost).as("blocks cached by the killed executor").isNotEmpty();
    rebuilt.retainAll(lost);
    assertThat(rebuilt).as("of those, rebuilt by the other executors").isNotEmpty();
    assertBitIdentical(dir.resolve("executor-killed/model"));
  }

  @Test
  void aDriverKilledAfterACheckpointResumesToTheSameModel() throws Exception {
    Path checkpoint = dir.resolve("checkpoints/mnist.ckpt");
    String uri = checkpoint.toUri().toString();
    List<String> every = List.of("--set", "checkpoint.everyEpochs=1", "--set", "checkpoint.path=" + uri);

    long t0 = System.nanoTime();
    StandaloneCluster.Submission first = cluster.submit(appJar, MAIN, train(dir.resolve("killed"), every), onCluster);
    String appId = first.awaitAppId(JOB_TIMEOUT);
    // On a local path the checkpoint is written to a temporary file and renamed (no .crc file):
    // once it exists it is complete.
    awaitFile(checkpoint, first);
    int killed = first.kill(Duration.ofSeconds(30));
    report("run whose driver was killed after the checkpoint of epoch 1", first, t0);
    assertThat(killed).as("exit code of the killed driver").isEqualTo(137);
    assertThat(first.output()).contains("epoch 1/" + EPOCHS + " - loss ")
        .doesNotContain("epoch " + EPOCHS + "/" + EPOCHS + " - loss ");
    assertThat(dir.resolve("killed/model")).doesNotExist();
    int saved = HadoopCheckpoints.read(new Configuration(), uri).state().completedEpochs();
    assertThat(saved).isBetween(1, EPOCHS - 1);

    t0 = System.nanoTime();
    List<String> resume = new ArrayList<>(every);
    resume.addAll(List.of("--resume", uri));
    StandaloneCluster.Submission second = cluster.submit(appJar, MAIN, train(dir.resolve("resumed"), resume), onCluster);
    int exit = second.awaitExit(JOB_TIMEOUT);
    report("resumed run", second, t0);
    assertThat(exit).as("driver exit code; log %s", second.log()).isZero();
    assertThat(second.output()).doesNotContain("epoch " + saved + "/" + EPOCHS + " - ")
        .contains("epoch " + (saved + 1) + "/" + EPOCHS + " - loss ", "epoch " + EPOCHS + "/" + EPOCHS + " - loss ");
    assertThat(cluster.executors(appId)).as("executors of the killed driver's application")
        .noneMatch(StandaloneCluster.Executor::isAlive);
    assertBitIdentical(dir.resolve("resumed/model"));
    assertThat(HadoopCheckpoints.read(new Configuration(), uri).params()).as("last checkpoint's parameters")
        .isEqualTo(ModelIO.load(referenceModel).params());
  }

  /** The {@code train} arguments every run shares, writing into {@code output}, then {@code extra}. */
  private static List<String> train(Path output, List<String> extra) {
    List<String> args = new ArrayList<>(List.of("train", "--epochs", Integer.toString(EPOCHS), "--partitions", "2",
        "--seed", "7", "--progress", "none", "--verbose-spark", "--output", output.toString(),
        // the settings of the floor below (the default config moved to batch 1024 with a warm-up)
        "--batch-size", "128", "--lr", "0.001", "--set", "training.schedule={\"type\": \"constant\"}"));
    args.addAll(extra);
    return args;
  }

  private static List<String> train(Path output) {
    return train(output, List.of());
  }

  /** The saved model in {@code modelDir} has exactly the reference's parameters (and params.bin bytes). */
  private static void assertBitIdentical(Path modelDir) throws IOException {
    float[] expected = ModelIO.load(referenceModel).params();
    float[] actual = ModelIO.load(modelDir).params();
    assertThat(actual.length).isEqualTo(expected.length);
    int differing = 0;
    int first = -1;
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
        differing++;
        first = first < 0 ? i : first;
      }
    }
    assertThat(differing).as("parameters of %s differing from the reference's (first at index %d)", modelDir, first)
        .isZero();
    assertThat(Arrays.equals(Files.readAllBytes(modelDir.resolve(ModelIO.PARAMS_BIN)),
        Files.readAllBytes(referenceModel.resolve(ModelIO.PARAMS_BIN)))).as("params.bin bytes equal").isTrue();
  }

  /** The ids of the RDD blocks an executor cached ("Block rdd_15_0 stored as values in memory" in its log). */
  private static Set<String> cachedBlocks(StandaloneCluster.Executor e) throws IOException {
    Set<String> ids = new TreeSet<>();
    Matcher m = CACHED_BLOCK.matcher(Files.readString(e.stderr()));
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  /** Waits until {@code file} exists; fails when the driver exits first or the job timeout passes. */
  private static void awaitFile(Path file, StandaloneCluster.Submission job) throws InterruptedException {
    long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
    while (!Files.exists(file)) {
      assertThat(ProcessHandle.of(job.pid()).map(ProcessHandle::isAlive).orElse(false))
          .as("driver alive while waiting for %s; log %s", file, job.log()).isTrue();
      assertThat(System.nanoTime()).as("%s within %s", file, JOB_TIMEOUT).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static String appId(StandaloneCluster.Submission job) throws InterruptedException {
    return job.awaitAppId(Duration.ZERO);
  }

  /** Prints the run time and the epoch times of a job's driver log. */
  private static void report(String what, StandaloneCluster.Submission job, long t0) {
    StringBuilder epochs = new StringBuilder();
    Matcher m = EPOCH_LINE.matcher(job.output());
    while (m.find()) {
      epochs.append(epochs.length() == 0 ? "" : ", ").append("epoch ").append(m.group(1)).append(' ')
          .append(m.group(2)).append(" s");
    }
    System.out.printf(Locale.ROOT, "%s: %.1f s end to end (%s); log %s%n", what, seconds(t0),
        epochs.length() == 0 ? "no epoch finished" : epochs, job.log());
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
