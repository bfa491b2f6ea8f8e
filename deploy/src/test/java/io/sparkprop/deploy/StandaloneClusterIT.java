package io.sparkprop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real standalone cluster (master and two workers, separate JVMs) started by deploy/cluster.sh;
 * the tiny job submitted by deploy/submit.sh must finish with the exact sum, also when one executor
 * is killed (SIGKILL) while its task runs; afterwards no process of the cluster may be left.
 */
class StandaloneClusterIT {
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);
  private static final long N = 2_000_000;
  private static final String EXPECTED = "TINYJOB sum=" + TinyJob.sumRange(0, N) + " expected=" + TinyJob.sumRange(0, N);

  private static StandaloneCluster cluster;
  private static Path tinyJar;

  @BeforeAll
  static void startCluster() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target"), "it-cluster-").toAbsolutePath();
    tinyJar = TinyJob.writeJar(dir.resolve("tiny-job.jar"));
    long t0 = System.nanoTime();
    cluster = StandaloneCluster.start(StandaloneCluster.Settings.fromSystemProperties(dir, 2));
    System.out.printf("cluster %s up in %.1f s%n", cluster.masterUrl(), (System.nanoTime() - t0) / 1e9);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    List<Long> daemons = cluster.workerPids();
    daemons.add(cluster.masterPid());
    cluster.close();
    assertThat(cluster.processesLeft()).as("processes left after cluster.sh stop").isEmpty();
    assertThat(cluster.knownPids()).containsAll(daemons);
    for (long pid : cluster.knownPids()) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d alive", pid).isFalse();
    }
  }

  @Test
  void tinyJobRunsOnAnExecutorOfEachWorker() throws Exception {
    long t0 = System.nanoTime();
    StandaloneCluster.Submission job = cluster.submit(tinyJar, TinyJob.class.getName(), List.of(Long.toString(N), "4"), List.of());
    int exit = job.awaitExit(JOB_TIMEOUT);
    System.out.printf("tiny job finished in %.1f s%n", (System.nanoTime() - t0) / 1e9);

    assertThat(exit).as("driver exit code; log %s", job.log()).isZero();
    assertThat(job.output()).contains(EXPECTED);
    List<StandaloneCluster.Executor> executors = cluster.executors(job.awaitAppId(Duration.ZERO));
    assertThat(executors).extracting(StandaloneCluster.Executor::worker).containsExactlyInAnyOrder(1, 2);
    assertThat(executors).extracting(StandaloneCluster.Executor::pid).doesNotHaveDuplicates()
        .doesNotContain(job.pid(), cluster.masterPid()).doesNotContainAnyElementsOf(cluster.workerPids());
  }

  @Test
  void killedExecutorLosesItsTaskAndTheJobStillFinishesWithTheSameSum() throws Exception {
    Path go = cluster.clusterDir().resolve("go-" + System.nanoTime());
    StandaloneCluster.Submission job = cluster.submit(tinyJar, TinyJob.class.getName(),
        List.of(Long.toString(N), "4", go.toString()), List.of());
    String appId = job.awaitAppId(JOB_TIMEOUT);
    List<StandaloneCluster.Executor> live = cluster.awaitLiveExecutors(appId, 2, JOB_TIMEOUT);
    StandaloneCluster.Executor victim = live.get(0);
    // Its task is in flight: started, and blocked until the go file appears.
    StandaloneCluster.awaitText(victim.stderr(), "Running task", JOB_TIMEOUT);

    cluster.kill(victim, Duration.ofSeconds(30));
    assertThat(victim.isAlive()).isFalse();
    StandaloneCluster.awaitText(job.log(), "Lost executor " + victim.executorId(), JOB_TIMEOUT);
    Files.writeString(go, "go");

    int exit = job.awaitExit(JOB_TIMEOUT);
    assertThat(exit).as("driver exit code; log %s", job.log()).isZero();
    assertThat(job.output()).contains(EXPECTED);
  }
}
