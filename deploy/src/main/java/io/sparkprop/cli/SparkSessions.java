package io.sparkprop.cli;

import io.sparkprop.cli.config.SparkSpec;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Starts (or joins) the Spark session of a command. The master is, in order: the
 * {@code --master} flag; {@code spark.master} when already set (spark-submit sets it, and its
 * choice wins over the config file); the config's {@code spark.master}; {@code local[*]}.
 * Spark's console progress bar is turned off (ours is drawn instead), OpenBLAS in executors
 * is kept single-threaded (one task per core gives the parallelism) and, in local mode, the web UI
 * is off and SQL shuffles have one partition per core, unless the config sets them.
 */
public final class SparkSessions {
  /** The master used when nothing else names one. */
  public static final String DEFAULT_MASTER = "local[*]";

  private SparkSessions() {
  }

  /** A session and whether this program started it (and so must stop it). */
  public record Session(SparkSession spark, boolean owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned) {
        spark.stop();
      }
    }
  }

  /** The master URL for these settings (see the class comment). */
  public static String master(String flag, SparkSpec spec) {
    if (flag != null && !flag.isBlank()) {
      return flag;
    }
    String preset = new SparkConf().get("spark.master", null);
    if (preset != null) {
      return preset;
    }
    return spec.master() != null ? spec.master() : DEFAULT_MASTER;
  }

  /** The task slots of a local master: local = 1, local[N] and local[N, F] = N, local[*] = the cores. */
  static int localCores(String master) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\d+)(,\\s*\\d+)?]").matcher(master);
    if (m.matches()) {
      return Math.max(1, Integer.parseInt(m.group(1)));
    }
    return master.equals("local") ? 1 : Runtime.getRuntime().availableProcessors();
  }

  /** Starts a session for {@code appName}, or joins the active one (then it is not owned). */
  public static Session start(String appName, String masterFlag, SparkSpec spec) {
    scala.Option<SparkSession> active = SparkSession.getActiveSession();
    if (active.isEmpty()) {
      active = SparkSession.getDefaultSession();
    }
    if (active.isDefined()) {
      return new Session(active.get(), false);
    }
    String master = master(masterFlag, spec);
    SparkSession.Builder b = SparkSession.builder().appName(appName).master(master);
    Map<String, String> conf = spec.conf();
    if (master.startsWith("local") && !conf.containsKey("spark.ui.enabled")) {
      // a local run is one command on one machine: the web UI's Jetty start costs a second or two of
      // every run and nobody browses it (set spark.ui.enabled to true in the config to get it)
      b.config("spark.ui.enabled", "false");
    }
    if ((master.equals("local") || master.startsWith("local[")) && !conf.containsKey("spark.sql.shuffle.partitions")) {
      // the pre-training aggregations (split quantiles, labels) group a few keys: Spark's default of
      // 200 shuffle partitions makes every map task write 200 files and plan 200 reducers for them
      b.config("spark.sql.shuffle.partitions", Integer.toString(localCores(master)));
    }
    if (!conf.containsKey("spark.ui.showConsoleProgress")) {
      b.config("spark.ui.showConsoleProgress", "false");
    }
    if (!conf.containsKey("spark.executorEnv.OPENBLAS_NUM_THREADS")) {
      b.config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
    }
    for (Map.Entry<String, String> e : conf.entrySet()) {
      b.config(e.getKey(), e.getValue());
    }
    return new Session(b.getOrCreate(), true);
  }
}
