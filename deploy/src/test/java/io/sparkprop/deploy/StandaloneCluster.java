package io.sparkprop.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: a master and N workers, each its own
 * JVM, started and stopped through {@code deploy/cluster.sh}; applications are submitted through
 * {@code deploy/submit.sh} (driver in its own JVM, client mode). Ports are chosen free at start
 * (the master's RPC port; web UIs on any free port), so tests never clash with another cluster.
 *
 * <p>Executors are found from their work directories: each executor JVM writes
 * {@code Started daemon with process name: PID@host} into
 * {@code <clusterDir>/work/worker-<i>/<app-id>/<executor-id>/stderr}.
 *
 * <p>{@link #close()} stops the cluster with the script, then kills (SIGKILL) every process this
 * object started or found (daemons, their descendants, executors, drivers) that is still alive;
 * {@link #processesLeft()} tells whether any survived.
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final Pattern DAEMON_PID = Pattern.compile("Started daemon with process name: (\\d+)@");
  private static final Pattern APP_ID = Pattern.compile("app ID (app-[0-9]+-[0-9]+)");

  /**
   * Where the scripts and the Spark home are, where this cluster keeps its files, and its size.
   *
   * @param deployDir    the project's {@code deploy/} folder (cluster.sh, submit.sh)
   * @param sparkHome    a Spark home built by {@code deploy/spark-home.sh}
   * @param clusterDir   logs, PID files and worker directories of this cluster (a new folder)
   * @param workers      number of worker JVMs
   * @param workerCores  cores each worker offers
   * @param workerMemory memory each worker offers, e.g. "1g"
   * @param timeout      longest wait for the cluster to start or stop
   */
  public record Settings(Path deployDir, Path sparkHome, Path clusterDir, int workers, int workerCores,
                         String workerMemory, Duration timeout) {
    /**
     * Settings from the system properties the deploy module's integration tests get
     * ({@code sparkprop.deployDir}, {@code sparkprop.sparkHome}): 1 core and 1g per worker.
     */
    public static Settings fromSystemProperties(Path clusterDir, int workers) {
      return new Settings(Path.of(requiredProperty("sparkprop.deployDir")),
          Path.of(requiredProperty("sparkprop.sparkHome")), clusterDir, workers, 1, "1g",
          Duration.ofMinutes(3));
    }
  }

  /** One executor JVM: its application, executor id, worker number (1-based), PID and log. */
  public record Executor(String appId, String executorId, int worker, long pid, Path stderr) {
    public boolean isAlive() {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  /** A running or finished spark-submit; its output (driver log included) goes to {@link #log()}. */
  public static final class Submission {
    private final Process process;
    private final Path log;

    private Submission(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    public long pid() {
      return process.pid();
    }

    public Path log() {
      return log;
    }

    /** The driver's output so far. */
    public String output() {
      return readString(log);
    }

    /** Waits for the driver to exit and returns its exit code; kills it when it takes longer. */
    public int awaitExit(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("spark-submit did not finish within " + timeout + "; log " + log);
      }
      return process.exitValue();
    }

    /**
     * Kills the driver JVM with SIGKILL, as a crash would (submit.sh execs the JVM, so this is
     * the driver itself), and returns its exit code.
     */
    public int kill(Duration timeout) throws InterruptedException {
      process.destroyForcibly();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("driver pid " + process.pid() + " still alive " + timeout + " after SIGKILL");
      }
      return process.exitValue();
    }

    /** The driver JVM's command-line arguments, once submit.sh has become the JVM (exec). */
    public List<String> awaitJvmArguments(Duration timeout) throws InterruptedException {
      return awaitValue(timeout, "the driver JVM (pid " + process.pid() + ")", () -> {
        ProcessHandle.Info info = process.info();
        boolean java = info.command().map(c -> c.endsWith("/java")).orElse(false);
        return java ? info.arguments().map(List::of) : Optional.empty();
      });
    }

    /** The application id the driver got from the master. */
    public String awaitAppId(Duration timeout) throws InterruptedException {
      return awaitValue(timeout, "the app id in " + log, () -> {
        Matcher m = APP_ID.matcher(output());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
      });
    }
  }

  private final Settings settings;
  private final Map<String, String> env;
  private final String masterUrl;
  private final Set<Long> known = new LinkedHashSet<>();
  private final List<Submission> submissions = new ArrayList<>();
  private final List<Long> left = new ArrayList<>();
  private boolean closed;

  private StandaloneCluster(Settings settings, Map<String, String> env, String masterUrl) {
    this.settings = settings;
    this.env = env;
    this.masterUrl = masterUrl;
  }

  /** Starts the master and the workers and waits until every worker has registered. */
  public static StandaloneCluster start(Settings settings) throws IOException, InterruptedException {
    return start(settings, null);
  }

  /** As {@link #start(Settings)}, every JVM (daemons and drivers) reading its Spark conf from {@code confDir}. */
  public static StandaloneCluster start(Settings settings, Path confDir) throws IOException, InterruptedException {
    Files.createDirectories(settings.clusterDir());
    int masterPort = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("SPARKPROP_SPARK_HOME", settings.sparkHome().toAbsolutePath().toString());
    env.put("SPARKPROP_CLUSTER_DIR", settings.clusterDir().toAbsolutePath().toString());
    env.put("SPARKPROP_HOST", "127.0.0.1");
    env.put("SPARKPROP_MASTER_PORT", Integer.toString(masterPort));
    env.put("SPARKPROP_MASTER_UI_PORT", "0");
    env.put("SPARKPROP_WORKER_UI_PORT", "0");
    env.put("SPARKPROP_WORKERS", Integer.toString(settings.workers()));
    env.put("SPARKPROP_WORKER_CORES", Integer.toString(settings.workerCores()));
    env.put("SPARKPROP_WORKER_MEMORY", settings.workerMemory());
    env.put("SPARKPROP_START_TIMEOUT", Long.toString(settings.timeout().toSeconds()));
    if (confDir != null) {
      env.put("SPARKPROP_CONF_DIR", confDir.toAbsolutePath().toString());
    }
    StandaloneCluster cluster = new StandaloneCluster(settings, env, "spark://127.0.0.1:" + masterPort);
    try {
      cluster.script("cluster.sh", "start");
      cluster.known.addAll(cluster.daemonPids());
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.known.addAll(cluster.daemonPids());
      try {
        cluster.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return cluster;
  }

  public String masterUrl() {
    return masterUrl;
  }

  public Path clusterDir() {
    return settings.clusterDir();
  }

  /** The master's PID. */
  public long masterPid() {
    return readPid(settings.clusterDir().resolve("pids/master.pid"));
  }

  /** The worker PIDs, worker 1 first. */
  public List<Long> workerPids() {
    List<Long> pids = new ArrayList<>();
    for (int i = 1; i <= settings.workers(); i++) {
      pids.add(readPid(settings.clusterDir().resolve("pids/worker-" + i + ".pid")));
    }
    return pids;
  }

  /**
   * Starts {@code deploy/submit.sh appJar mainClass appArgs...} against this cluster and returns at
   * once. {@code submitArgs} are extra spark-submit options (each without blanks, e.g.
   * {@code "--conf", "spark.task.maxFailures=2"}).
   */
  public Submission submit(Path appJar, String mainClass, List<String> appArgs, List<String> submitArgs)
      throws IOException {
    return submit(appJar, mainClass, appArgs, DriverSettings.DEFAULTS.withSubmitArgs(submitArgs));
  }

  /** Starts {@code deploy/submit.sh appJar mainClass appArgs...} with the driver as {@code driver} says. */
  public Submission submit(Path appJar, String mainClass, List<String> appArgs, DriverSettings driver) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("bash", script("submit.sh"), appJar.toAbsolutePath().toString(), mainClass));
    cmd.addAll(appArgs);
    Path log = settings.clusterDir().resolve("logs/submit-" + (submissions.size() + 1) + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().put("SPARKPROP_SUBMIT_ARGS", String.join(" ", driver.submitArgs()));
    pb.environment().put("SPARKPROP_DRIVER_MEMORY", driver.memory());
    if (driver.master() != null) {
      pb.environment().put("SPARKPROP_MASTER", driver.master());
    } else {
      pb.environment().remove("SPARKPROP_MASTER");
    }
    Submission s = new Submission(pb.start(), log);
    submissions.add(s);
    known.add(s.pid());
    return s;
  }

  /** Every executor of {@code appId} that has logged its PID so far, alive or not. */
  public List<Executor> executors(String appId) {
    List<Executor> found = new ArrayList<>();
    for (int w = 1; w <= settings.workers(); w++) {
      Path appDir = settings.clusterDir().resolve("work/worker-" + w).resolve(appId);
      if (!Files.isDirectory(appDir)) {
        continue;
      }
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(appDir, Files::isDirectory)) {
        for (Path dir : dirs) {
          Path stderr = dir.resolve("stderr");
          Matcher m = DAEMON_PID.matcher(Files.exists(stderr) ? readString(stderr) : "");
          if (m.find()) {
            long pid = Long.parseLong(m.group(1));
            known.add(pid);
            found.add(new Executor(appId, dir.getFileName().toString(), w, pid, stderr));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    found.sort((a, b) -> a.executorId().compareTo(b.executorId()));
    return found;
  }

  /** Waits until {@code count} executors of {@code appId} are alive and returns them. */
  public List<Executor> awaitLiveExecutors(String appId, int count, Duration timeout) throws InterruptedException {
    return awaitValue(timeout, count + " live executors of " + appId, () -> {
      List<Executor> live = executors(appId).stream().filter(Executor::isAlive).toList();
      return live.size() >= count ? Optional.of(live) : Optional.empty();
    });
  }

  /** Waits until {@code file} contains {@code text}. */
  public static void awaitText(Path file, String text, Duration timeout) throws InterruptedException {
    awaitValue(timeout, "\"" + text + "\" in " + file,
        () -> Files.exists(file) && readString(file).contains(text) ? Optional.of(true) : Optional.empty());
  }

  /** Kills the executor JVM with SIGKILL, as a crash would, and waits until it is gone. */
  public void kill(Executor executor, Duration timeout) throws InterruptedException {
    Optional<ProcessHandle> handle = ProcessHandle.of(executor.pid());
    if (handle.isPresent()) {
      handle.get().destroyForcibly();
      awaitValue(timeout, "executor pid " + executor.pid() + " to exit",
          () -> executor.isAlive() ? Optional.empty() : Optional.of(true));
    }
  }

  /**
   * Stops the cluster with {@code cluster.sh stop}, then kills what is still alive of every
   * process this object started or found (and their descendants). An interrupt does not cut the
   * clean-up short; it is passed on (the thread's interrupt flag is set again) at the end.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    for (Long pid : new ArrayList<>(known)) {
      ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> known.add(d.pid())));
    }
    for (Submission s : submissions) {
      s.process.descendants().forEach(ProcessHandle::destroyForcibly);
      s.process.destroyForcibly();
    }
    boolean interrupted = false;
    IOException failure = null;
    try {
      script("cluster.sh", "stop");
    } catch (IOException e) {
      failure = e;
    } catch (InterruptedException e) {
      interrupted = true;
    }
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    for (Long pid : known) {
      Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (h.isPresent()) {
        left.add(pid);
        h.get().destroyForcibly();
        try {
          h.get().onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
          // reported by processesLeft()
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * The processes this object started or found that {@code cluster.sh stop} did not end (it had
   * to kill them) or that are still alive; empty when the scripts cleaned up everything.
   */
  public List<Long> processesLeft() {
    List<Long> result = new ArrayList<>(left);
    for (Long pid : known) {
      if (!result.contains(pid) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        result.add(pid);
      }
    }
    return result;
  }

  /** Every PID this object started or found so far. */
  public Set<Long> knownPids() {
    return Set.copyOf(known);
  }

  private List<Long> daemonPids() {
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(settings.clusterDir().resolve("pids"), "*.pid")) {
      for (Path f : files) {
        pids.add(readPid(f));
      }
    } catch (IOException e) {
      // no pid files: nothing started
    }
    return pids;
  }

  private String script(String name) {
    return settings.deployDir().resolve(name).toAbsolutePath().toString();
  }

  /** Runs a deploy script to its end; its output goes to logs/scripts.log. */
  private void script(String name, String arg) throws IOException, InterruptedException {
    Path log = settings.clusterDir().resolve("scripts.log");
    ProcessBuilder pb = new ProcessBuilder("bash", script(name), arg).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(settings.timeout().toMillis() + 60_000, TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      throw new IOException(name + " " + arg + " did not finish in time; see " + log);
    }
    if (p.exitValue() != 0) {
      throw new IOException(name + " " + arg + " failed (exit " + p.exitValue() + "):\n" + readString(log));
    }
  }

  private static long readPid(Path file) {
    return Long.parseLong(readString(file).trim());
  }

  private static String readString(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static String requiredProperty(String name) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("system property " + name + " is not set (the deploy module's pom sets it for *IT tests)");
    }
    return v;
  }

  /** Polls {@code probe} every 200 ms until it gives a value; fails after {@code timeout}. */
  private static <T> T awaitValue(Duration timeout, String what, Supplier<Optional<T>> probe) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> v = probe.get();
      if (v.isPresent()) {
        return v.get();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
