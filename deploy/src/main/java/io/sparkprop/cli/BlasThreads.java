package io.sparkprop.cli;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps native BLAS single-threaded in the JVM that runs the tasks. Spark runs one task per core,
 * so a multi-threaded OpenBLAS inside each task only oversubscribes the cores (on Fashion-MNIST
 * this more than halved the compute share of a step when set). OpenBLAS reads
 * {@code OPENBLAS_NUM_THREADS} once, when the library loads, and netlib-java offers no call to
 * change it later; in local mode the executors are this JVM, so
 * {@code spark.executorEnv.OPENBLAS_NUM_THREADS} cannot reach them. So when the program was
 * started as {@code java -jar sparkprop-app.jar} without the variable, it starts itself again
 * once with {@code OPENBLAS_NUM_THREADS=1} (and the OpenMP/MKL equivalents) in the environment,
 * passing on the JVM options, arguments, standard streams and exit code. The relaunch is skipped
 * when the variable is set (the user's choice wins), under spark-submit (which starts the driver
 * itself, and sets {@code spark.master}), or with {@code SPARKPROP_NO_RELAUNCH=1}. The new JVM
 * also gets the options of {@link LaunchFlags} (collector, compiler, class-data archive) that make
 * a local run start faster and smaller.
 */
final class BlasThreads {
  static final String VARIABLE = "OPENBLAS_NUM_THREADS";

  private BlasThreads() {
  }

  /** The command that starts this program again, or null when no relaunch is needed or possible. */
  static List<String> relaunchCommand(String[] args) {
    Map<String, String> env = System.getenv();
    if (env.containsKey(VARIABLE) || env.containsKey("SPARKPROP_NO_RELAUNCH") || System.getProperty("spark.master")
        != null || env.containsKey("SPARK_SUBMIT_OPTS") || env.containsKey("SPARK_ENV_LOADED")) {
      return null;
    }
    String command = System.getProperty("sun.java.command", "");
    String classPath = System.getProperty("java.class.path", "");
    String jar = command.split(" ", 2)[0];
    if (!jar.endsWith(".jar") || !new File(jar).isFile() || !classPath.equals(jar)) {
      return null;
    }
    String java = ProcessHandle.current().info().command().orElse(null);
    if (java == null) {
      return null;
    }
    List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(options);
    cmd.addAll(LaunchFlags.of(options, Path.of(jar), env, List.of(args)));
    cmd.add("-jar");
    cmd.add(jar);
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Runs {@code command} with single-threaded BLAS, sharing this process's streams; returns its exit code. */
  static int relaunch(List<String> command) throws java.io.IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    pb.environment().put(VARIABLE, "1");
    pb.environment().putIfAbsent("OMP_NUM_THREADS", "1");
    pb.environment().putIfAbsent("MKL_NUM_THREADS", "1");
    Process p = pb.start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
    return p.waitFor();
  }
}
