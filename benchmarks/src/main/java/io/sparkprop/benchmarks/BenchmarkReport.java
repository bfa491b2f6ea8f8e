package io.sparkprop.benchmarks;

import io.sparkprop.core.tensor.Gemm;
import io.sparkprop.core.tensor.Gemms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks (same command-line options as {@code org.openjdk.jmh.Main}) and prints
 * the results as markdown tables: GFLOP/s = FLOPs / time per operation for each GEMM backend with
 * the ratios Java/EJML and native/EJML from the same run, and samples/s and GFLOP/s of the training
 * step. When native BLAS does not load here, the native GEMM backend is left out with a message.
 */
public final class BenchmarkReport {
  private static final String[] BACKENDS = {"ejml", "java", "native", "stable"};

  private BenchmarkReport() {
  }

  public static void main(String[] args) throws Exception {
    CommandLineOptions cli = new CommandLineOptions(args);
    if (cli.shouldHelp()) {
      cli.showHelp();
      return;
    }
    Gemm nat = Gemms.nativeBlas();
    ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
    if (nat == null && !cli.getParameter("backend").hasValue()) {
      System.out.println("native BLAS does not load in this JVM (no libblas.so.3 / OpenBLAS): "
          + "skipping the native GEMM backend");
      options.param("backend", "ejml", "java");
    }
    String env = "OPENBLAS_NUM_THREADS=" + System.getenv("OPENBLAS_NUM_THREADS")
        + ", OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE");
    String loadBefore = loadAverage();
    Collection<RunResult> results = new Runner(options.build()).run();
    System.out.println();
    System.out.printf("JDK %s, %d cores, %s, load average before %s, after %s%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), env, loadBefore, loadAverage());
    System.out.println("backends: EJML; " + Gemms.javaBlas().name() + "; "
        + (nat == null ? "native BLAS not available" : nat.name()));
    System.out.println();
    System.out.print(gemmTable(results));
    System.out.println();
    System.out.print(trainTable(results));
  }

  /** The 1/5/15-minute load averages (Linux), to judge how noisy the machine was; "?" elsewhere. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + "/" + f[1] + "/" + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** Seconds per operation from a JMH score and its unit ("us/op", or "ops/ms" in throughput mode). */
  static double secondsPerOp(double score, String unit) {
    boolean throughput = unit.startsWith("ops/");
    String time = throughput ? unit.substring(4) : unit.substring(0, unit.indexOf('/'));
    double seconds = switch (time) {
      case "ns" -> 1e-9;
      case "us" -> 1e-6;
      case "ms" -> 1e-3;
      case "s" -> 1;
      case "min" -> 60;
      default -> throw new IllegalArgumentException("unknown JMH score unit " + unit);
    };
    return throughput ? seconds / score : seconds * score;
  }

  private static double seconds(RunResult r) {
    return secondsPerOp(r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreUnit());
  }

  /** One row per GEMM shape, GFLOP/s per backend and the ratios against EJML. */
  static String gemmTable(Collection<RunResult> results) {
    Map<String, Map<String, Double>> gflops = new LinkedHashMap<>();
    for (RunResult r : results) {
      BenchmarkParams p = r.getParams();
      if (!p.getBenchmark().endsWith("GemmBenchmark.gemm")) {
        continue;
      }
      GemmCase c = GemmCase.parse(p.getParam("shape"));
      gflops.computeIfAbsent(c.name(), k -> new LinkedHashMap<>())
          .put(p.getParam("backend"), c.flops() / seconds(r) / 1e9);
    }
    if (gflops.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    sb.append("GEMM, float, one thread, GFLOP/s = 2·m·n·k / time (op:MxKxN = op(A)[m×k]·op(B)[k×n])\n\n");
    sb.append("| case | EJML | Java BLAS | native | stable | Java/EJML | native/EJML |\n");
    sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Map.Entry<String, Map<String, Double>> e : gflops.entrySet()) {
      Map<String, Double> g = e.getValue();
      sb.append("| ").append(e.getKey());
      for (String b : BACKENDS) {
        sb.append(" | ").append(fmt(g.get(b), "%.1f"));
      }
      Double ejml = g.get("ejml");
      for (String b : List.of("java", "native")) {
        Double v = g.get(b);
        sb.append(" | ").append(ejml == null || v == null ? "-" : fmt(v / ejml, "%.1fx"));
      }
      sb.append(" |\n");
    }
    return sb.toString();
  }

  /** One row per training-step benchmark: time, samples/s and GFLOP/s. */
  static String trainTable(Collection<RunResult> results) {
    List<String> rows = new ArrayList<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      if (!name.contains("TrainStepBenchmark.")) {
        continue;
      }
      double s = seconds(r);
      String backend = name.endsWith("JavaBlas") ? "Java BLAS (native off)" : "Gemms.best()";
      rows.add(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.1f | %.1f |",
          name.substring(name.lastIndexOf('.') + 1), backend, s * 1e6, TrainStepBenchmark.BATCH / s,
          TrainStepBenchmark.nominalFlopsPerStep() / s / 1e9, TrainStepBenchmark.executedFlopsPerStep() / s / 1e9));
    }
    if (rows.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Training step, 784-256-128-10 ReLU + softmax CE, batch %d, Adam: "
            + "nominal %.1f MFLOP/step (3 GEMMs per Dense), executed %.1f (no input gradient at layer 1)%n%n",
        TrainStepBenchmark.BATCH, TrainStepBenchmark.nominalFlopsPerStep() / 1e6,
        TrainStepBenchmark.executedFlopsPerStep() / 1e6));
    sb.append("| benchmark | GEMM backend | µs/step | samples/s | GFLOP/s nominal | GFLOP/s executed |\n");
    sb.append("| --- | --- | ---: | ---: | ---: | ---: |\n");
    for (String row : rows) {
      sb.append(row).append('\n');
    }
    return sb.toString();
  }

  private static String fmt(Double v, String format) {
    return v == null ? "-" : String.format(Locale.ROOT, format, v);
  }
}
