package io.sparkprop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.io.ModelIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Barrier mode on a secured standalone cluster (master, two workers, driver: separate JVMs, all
 * with {@code spark.authenticate}, a shared secret and {@code spark.network.crypto.enabled} from a
 * 0600 spark-defaults.conf): the TCP channel runs encrypted (the executors derive the keys from
 * Spark's secret on their side) and the model equals that of a job per step bit for bit.
 */
class EncryptedClusterIT {
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(15);
  private static StandaloneCluster cluster;
  private static Path appJar;
  private static Path dir;

  @BeforeAll
  static void startSecuredCluster() throws Exception {
    appJar = Path.of(System.getProperty("sparkprop.appJar", "target/sparkprop-app.jar")).toAbsolutePath();
    dir = Files.createTempDirectory(Path.of("target"), "it-encrypted-").toAbsolutePath();
    StandaloneCluster.Settings settings = StandaloneCluster.Settings.fromSystemProperties(dir.resolve("cluster"), 2);
    Path conf = Files.createDirectory(dir.resolve("conf"));
    Path log4j = settings.sparkHome().resolve("conf/log4j2.properties");
    if (Files.exists(log4j)) {
      Files.copy(log4j, conf.resolve("log4j2.properties"));
    }
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Path defaults = Files.createFile(conf.resolve("spark-defaults.conf"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(defaults, "spark.authenticate true\nspark.authenticate.secret " + HexFormat.of().formatHex(secret)
        + "\nspark.network.crypto.enabled true\n");
    cluster = StandaloneCluster.start(settings, conf);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
      assertThat(cluster.processesLeft()).as("processes of the secured cluster left").isEmpty();
    }
  }

  @Test
  void theEncryptedBarrierChannelGivesTheModelOfJobsMode() throws Exception {
    DriverSettings driver = DriverSettings.DEFAULTS.withMemory("512m").withSubmitArgs(List.of("--executor-memory", "512m"));
    StandaloneCluster.Submission barrier = cluster.submit(appJar, "io.sparkprop.cli.Main", train("barrier",
        "barrier"), driver);
    assertThat(barrier.awaitExit(JOB_TIMEOUT)).as("driver exit code; log %s", barrier.log()).isZero();
    assertThat(barrier.output()).containsPattern("barrier stage 1: 2 tasks, channel TCP \\S+:[0-9]+ AES-GCM-128")
        .doesNotContain("run as Spark jobs").doesNotContainPattern("barrier stage \\d+ (failed|could not start)");
    StandaloneCluster.Submission jobs = cluster.submit(appJar, "io.sparkprop.cli.Main", train("jobs", "jobs"), driver);
    assertThat(jobs.awaitExit(JOB_TIMEOUT)).as("driver exit code; log %s", jobs.log()).isZero();
    assertThat(jobs.output()).doesNotContain("barrier stage");
    assertThat(ModelIO.load(dir.resolve("barrier/model")).params())
        .containsExactly(ModelIO.load(dir.resolve("jobs/model")).params());
  }

  /** Two epochs of the bundled MNIST example in 2 partitions with sync {@code sync}, into {@code name}. */
  private static List<String> train(String name, String sync) {
    return new ArrayList<>(List.of("train", "--epochs", "2", "--partitions", "2", "--seed", "7", "--progress", "none",
        "--verbose-spark", "--output", dir.resolve(name).toString(), "--batch-size", "128", "--lr", "0.001",
        "--set", "spark.conf.spark.sparkprop.sync=" + sync));
  }
}
