package io.sparkprop.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Where {@code fit}s spend their time, from Spark's own job events: the time before the first
 * job (spark.ml params, SQL analysis and planning, building the RDDs: the driver alone), each job
 * (named by the call site of its last stage), the gaps between jobs (driver setup) and the time
 * after the last job (building the model). {@link #time} records one fit; {@link #report} gives
 * the median of each phase over the fits recorded.
 */
final class FitPhases {
  /** Phase name to its milliseconds in each recorded fit, in the order the phases first occurred. */
  private final Map<String, List<Long>> phases = new LinkedHashMap<>();
  private int fits;

  /** Runs {@code fit} with a listener on {@code sc} and adds its phases. */
  void time(SparkContext sc, Runnable fit) throws java.util.concurrent.TimeoutException {
    Recorder r = new Recorder();
    sc.addSparkListener(r);
    long start = System.currentTimeMillis();
    fit.run();
    long end = System.currentTimeMillis();
    sc.listenerBus().waitUntilEmpty(); // events reach listeners after the fact
    sc.removeSparkListener(r);
    long last = start;
    int k = 0;
    for (Object[] j : r.jobs) {
      long s = (Long) j[0];
      long e = (Long) j[1];
      add(k == 0 ? "before the first job (driver: ml params, SQL planning, RDDs)" : "between jobs (driver)",
          Math.max(0, s - last));
      add("job: " + j[2], e - s);
      last = e;
      k++;
    }
    if (k > 0) {
      add("after the last job (driver)", end - last);
    }
    add(k == 0 ? "whole fit (no Spark job)" : "whole fit", end - start);
    fits++;
  }

  private void add(String phase, long ms) {
    List<Long> l = phases.computeIfAbsent(phase, p -> new ArrayList<>());
    if (l.size() == fits) {
      l.add(ms);
    } else {
      l.set(fits, l.get(fits) + ms); // a phase that occurred twice in one fit
    }
  }

  /** One line a phase: its median milliseconds over the fits (a phase missing from a fit counts 0 there). */
  String report() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, List<Long>> e : phases.entrySet()) {
      long[] v = new long[fits];
      for (int i = 0; i < e.getValue().size(); i++) {
        v[i] = e.getValue().get(i);
      }
      Arrays.sort(v);
      b.append(String.format(Locale.ROOT, "  %6d ms  %s (min %d, max %d)%n", v[fits / 2], e.getKey(), v[0],
          v[fits - 1]));
    }
    return b.toString();
  }

  /** Collects {start, end, name} of each job. */
  private static final class Recorder extends SparkListener {
    private final List<Object[]> jobs = new ArrayList<>();

    @Override
    public synchronized void onJobStart(SparkListenerJobStart e) {
      String site = e.stageInfos().last().name();
      jobs.add(new Object[] {e.time(), e.time(), site + " (" + e.stageInfos().size() + " stages)", e.jobId()});
    }

    @Override
    public synchronized void onJobEnd(SparkListenerJobEnd e) {
      for (Object[] j : jobs) {
        if ((Integer) j[3] == e.jobId()) {
          j[1] = e.time();
        }
      }
    }
  }
}
