package io.sparkprop.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * A tiny Spark application for the deployment tests: sums {@code f(i) = (i * 2654435761) mod
 * 1000003} over {@code i in [0, n)}, split into {@code partitions} tasks and combined with
 * {@code treeAggregate}, and compares the sum with the driver's own loop.
 *
 * <p>Arguments: {@code n partitions [goFile]}. With {@code goFile} every task first waits until
 * that file exists, so a test can kill an executor while its tasks are in flight (the cluster runs
 * on one machine, so driver, executors and test share the file system). The master comes from
 * spark-submit or {@code -Dspark.master}. Prints {@code TINYJOB sum=S expected=E} and exits with 0
 * when they are equal, 2 otherwise.
 */
public final class TinyJob {
  /** Longest a task waits for the go file before it fails. */
  private static final long GO_FILE_WAIT_MS = 300_000;

  private TinyJob() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: TinyJob n partitions [goFile]");
    }
    long n = Long.parseLong(args[0]);
    int partitions = Integer.parseInt(args[1]);
    String goFile = args.length > 2 ? args[2] : null;

    SparkSession spark = SparkSession.builder().appName("sparkprop-tiny-job").getOrCreate();
    long sum;
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<Integer> parts = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        parts.add(p);
      }
      sum = jsc.parallelize(parts, partitions)
          .map(p -> {
            if (goFile != null) {
              awaitFile(Path.of(goFile));
            }
            return sumRange(p * n / partitions, (p + 1) * n / partitions);
          })
          .treeAggregate(0L, Long::sum, Long::sum);
    } finally {
      spark.stop();
    }
    long expected = sumRange(0, n);
    System.out.println("TINYJOB sum=" + sum + " expected=" + expected);
    if (sum != expected) {
      System.exit(2);
    }
  }

  /** Sum of f(i) for i in [from, to). */
  static long sumRange(long from, long to) {
    long s = 0;
    for (long i = from; i < to; i++) {
      s += (i * 2654435761L) % 1000003L;
    }
    return s;
  }

  private static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.currentTimeMillis() + GO_FILE_WAIT_MS;
    while (!Files.exists(file)) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("go file " + file + " did not appear within " + GO_FILE_WAIT_MS + " ms");
      }
      Thread.sleep(100);
    }
  }

  /**
   * Writes a jar holding this class (the application jar the tests submit) to {@code jar},
   * taken from the compiled test classes.
   */
  public static Path writeJar(Path jar) {
    try {
      Path classes = Path.of(TinyJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      String pkg = TinyJob.class.getPackageName().replace('.', '/');
      Manifest manifest = new Manifest();
      manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
      Files.createDirectories(jar.getParent());
      Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp);
           JarOutputStream jarOut = new JarOutputStream(out, manifest);
           DirectoryStream<Path> files = Files.newDirectoryStream(classes.resolve(pkg), "TinyJob*.class")) {
        for (Path f : files) {
          jarOut.putNextEntry(new JarEntry(pkg + "/" + f.getFileName()));
          jarOut.write(Files.readAllBytes(f));
          jarOut.closeEntry();
        }
      }
      return Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
