package io.sparkprop.benchmarks;

import static io.sparkprop.benchmarks.SparkVsMllib.line;

import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import io.sparkprop.core.train.TrainingState;
import io.sparkprop.ml.data.DataSources;
import io.sparkprop.spark.SparkOptions;
import io.sparkprop.spark.SparkTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Fashion-MNIST (60,000 train / 10,000 test images) side by side in one {@code local[2]} run:
 * this trainer and Spark MLlib's {@code MultilayerPerceptronClassifier}, both 784-256-128-10, on
 * the same cached Parquet copy (written from the IDX files by the executors). Prints the test
 * accuracy curve of each and the time to 85% and to 88% test accuracy, plus samples/s.
 *
 * <ul>
 *   <li>sparkprop: ReLU hidden layers, Adam at each {@code --runs batch:rate}, test accuracy after
 *       every epoch (evaluated distributed, inside the clock), at most {@code --max-epochs}.</li>
 *   <li>MLlib: its sigmoid hidden layers, L-BFGS, {@code blockSize} 128 (its default), seed 42.
 *       MLlib has no per-iteration hook, so the run is a chain of fits of {@code --mllib-chunk}
 *       iterations, each starting from the previous weights ({@code setInitialWeights}); the
 *       clock counts the fits only (test evaluation between fits is left out). Each fit restarts
 *       L-BFGS (curvature pairs and line-search scale are lost) and re-stacks the data, so the
 *       chain is somewhat slower per accuracy than one long fit would be. The chain stops at 88%,
 *       when L-BFGS converges (a fit ends before its maxIter), or when the fit time passes
 *       {@code --mllib-budget} seconds: a target not reached by then is reported as such.</li>
 * </ul>
 * Arguments (all optional): {@code --runs 128:0.001,512:0.002}, {@code --max-epochs 15},
 * {@code --mllib-chunk 20}, {@code --mllib-budget 1200}, {@code --skip-mllib},
 * {@code --data /usr/share/datasets/fashion-mnist}.
 */
public final class FashionVsMllib {
  private static final double[] TARGETS = {0.85, 0.88};
  private static final double LAST = TARGETS[TARGETS.length - 1];

  private FashionVsMllib() {
  }

  /** Test accuracy after {@code steps} epochs or L-BFGS iterations, {@code seconds} on the clock. */
  private record Point(int steps, double accuracy, double seconds) {
  }

  /** A named curve and its training throughput (samples per second of training time). */
  private record Curve(String name, List<Point> points, double samplesPerSecond) {
  }

  public static void main(String[] args) throws Exception {
    String runs = "128:0.001,512:0.002";
    int maxEpochs = 15;
    int chunk = 20;
    double budget = 1200;
    boolean skipMllib = false;
    Path data = Path.of("/usr/share/datasets/fashion-mnist");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = args[++i];
        case "--max-epochs" -> maxEpochs = Integer.parseInt(args[++i]);
        case "--mllib-chunk" -> chunk = Integer.parseInt(args[++i]);
        case "--mllib-budget" -> budget = Double.parseDouble(args[++i]);
        case "--skip-mllib" -> skipMllib = true;
        case "--data" -> data = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; expected --runs B:LR,...,"
            + " --max-epochs N, --mllib-chunk N, --mllib-budget SECONDS, --skip-mllib, --data FOLDER");
      }
    }
    SparkSession spark = LocalRun.session("fashion-vs-mllib", List.of());
    StringBuilder report = new StringBuilder();
    String load0 = BenchmarkReport.loadAverage();
    Path dir = Files.createTempDirectory("fashion-parquet");
    try {
      Dataset<Row> train = cached(spark, data, "train", dir);
      Dataset<Row> test = cached(spark, data, "t10k", dir);
      long n = train.count();
      line(report, "%s", LocalRun.environment(spark));
      line(report, "data: %s, %d train rows in %d partitions, %d test rows (Parquet, cached); load average %s",
          data, n, train.rdd().getNumPartitions(), test.count(), load0);
      List<Curve> curves = new ArrayList<>();
      for (String run : runs.split(",")) {
        String[] bl = run.split(":");
        Curve c = ours(train, test, Integer.parseInt(bl[0]), Double.parseDouble(bl[1]), maxEpochs);
        curves.add(c);
        for (Point p : c.points()) {
          line(report, "%s: epoch %d, test accuracy %.4f, %.1f s", c.name(), p.steps(), p.accuracy(), p.seconds());
        }
        line(report, "  (load average %s)", BenchmarkReport.loadAverage());
      }
      if (!skipMllib) {
        Curve c = mllib(report, train, test, n, chunk, budget);
        curves.add(c);
      }
      summary(report, curves, n, budget, skipMllib);
      line(report, "load average before %s, after %s", load0, BenchmarkReport.loadAverage());
      System.out.println();
      System.out.print(report);
    } finally {
      spark.stop();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * The IDX pair {@code prefix-images/labels} of {@code data} read by the executors (features
   * pixel/255 as a vector, label double), written to Parquet in 2 partitions and read back, cached.
   */
  private static Dataset<Row> cached(SparkSession spark, Path data, String prefix, Path dir) {
    Path out = dir.resolve(prefix);
    DataSources.load(spark, "idx", data.resolve(prefix + "-images-idx3-ubyte.gz").toString(),
            Map.of("labels", data.resolve(prefix + "-labels-idx1-ubyte.gz").toString()))
        .repartition(2).write().mode(SaveMode.Overwrite).parquet(out.toString());
    Dataset<Row> back = spark.read().parquet(out.toString()).cache();
    back.count();
    return back;
  }

  /** Thrown by the listener to end a run once the last target is reached. */
  private static final class TargetReached extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TargetReached() {
      super("target reached", null, false, false);
    }
  }

  /** This trainer through Spark (barrier mode, 2 partitions) until 88% or {@code maxEpochs}. */
  private static Curve ours(Dataset<Row> train, Dataset<Row> test, int batch, double lr, int maxEpochs) {
    Model m = Model.init(Sequential.of(Shape.of(784), new Dense(256), new ReLU(), new Dense(128), new ReLU(),
        new Dense(10)), new SoftmaxCrossEntropy(), 42);
    TrainingConfig cfg = TrainingConfig.DEFAULTS.withOptimizer(new Adam(lr)).withEpochs(maxEpochs).withBatchSize(batch)
        .withSeed(42);
    List<Point> points = new ArrayList<>();
    double[] trained = new double[2]; // training seconds, samples
    long t0 = System.nanoTime();
    SparkTrainer t = new SparkTrainer(cfg, SparkOptions.DEFAULTS.withPartitions(2)).addListener(new TrainingListener() {
      @Override
      public void onEpochEnd(EpochLog log, TrainingState state, Model model) {
        points.add(new Point(log.epoch(), log.valAccuracy(), (System.nanoTime() - t0) / 1e9));
        trained[0] += log.seconds();
        trained[1] += log.samples();
        if (log.valAccuracy() >= LAST) {
          throw new TargetReached();
        }
      }
    });
    try {
      t.fit(m, train, test);
    } catch (TargetReached done) {
      // the time is taken at the end of the epoch that reached the target
    }
    return new Curve(String.format(Locale.ROOT, "sparkprop Spark local[2], ReLU, Adam %s, batch %d", lr, batch), points,
        trained[1] / trained[0]);
  }

  /** MLlib's MLP as a chain of warm-started L-BFGS fits of {@code chunk} iterations. */
  private static Curve mllib(StringBuilder report, Dataset<Row> train, Dataset<Row> test, long n, int chunk,
                             double budget) {
    MulticlassClassificationEvaluator eval = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    // warm-up (JIT, MLlib's code paths), as this trainer's first run warms up its own code. Its time
    // is mostly what every fit pays before L-BFGS starts: the input checks and stacking of the rows.
    long w0 = System.nanoTime();
    MultilayerPerceptronClassificationModel warm = new MultilayerPerceptronClassifier()
        .setLayers(new int[] {784, 256, 128, 10}).setMaxIter(1).setSeed(42L).fit(train);
    line(report, "MLlib warm-up fit (maxIter 1, %d iteration): %.1f s (load average %s)",
        warm.summary().totalIterations(), (System.nanoTime() - w0) / 1e9, BenchmarkReport.loadAverage());
    List<Point> points = new ArrayList<>();
    MultilayerPerceptronClassificationModel model = null;
    double clock = 0;
    int iterations = 0;
    String name = String.format(Locale.ROOT,
        "Spark MLlib MLP local[2], sigmoid, L-BFGS in fits of %d iterations, blockSize 128", chunk);
    while (true) {
      MultilayerPerceptronClassifier c = new MultilayerPerceptronClassifier().setLayers(new int[] {784, 256, 128, 10})
          .setSolver("l-bfgs").setMaxIter(chunk).setSeed(42L);
      if (model != null) {
        c.setInitialWeights(model.weights());
      }
      long t0 = System.nanoTime();
      model = c.fit(train);
      clock += (System.nanoTime() - t0) / 1e9;
      int done = model.summary().totalIterations();
      iterations += done;
      double acc = eval.evaluate(model.transform(test));
      points.add(new Point(iterations, acc, clock));
      line(report, "%s: iteration %d, test accuracy %.4f, %.1f s (load average %s)", name, iterations, acc, clock,
          BenchmarkReport.loadAverage());
      if (acc >= LAST) {
        break;
      }
      if (done < chunk) {
        line(report, "  L-BFGS converged (the last fit stopped after %d of %d iterations)", done, chunk);
        break;
      }
      if (clock >= budget) {
        line(report, "  budget of %.0f s of fit time spent: stopped", budget);
        break;
      }
    }
    return new Curve(name, points, n * (double) iterations / clock);
  }

  private static void summary(StringBuilder report, List<Curve> curves, long n, double budget, boolean skipMllib) {
    line(report, "%n| trainer | to 85%% | to 88%% | best test accuracy (at s) | samples/s |");
    line(report, "| --- | ---: | ---: | ---: | ---: |");
    for (Curve c : curves) {
      StringBuilder row = new StringBuilder("| " + c.name() + " |");
      for (double target : TARGETS) {
        Point hit = null;
        Point before = null;
        for (Point p : c.points()) {
          if (p.accuracy() >= target) {
            hit = p;
            break;
          }
          before = p;
        }
        Point last = c.points().get(c.points().size() - 1);
        row.append(hit == null ? String.format(Locale.ROOT, " not in %.0f s (%d steps) |", last.seconds(), last.steps())
            : String.format(Locale.ROOT, " %.1f s (after %d; previous point %.1f s) |", hit.seconds(), hit.steps(),
                before == null ? 0 : before.seconds()));
      }
      Point best = c.points().stream().max(Comparator.comparingDouble(Point::accuracy)).orElseThrow();
      row.append(String.format(Locale.ROOT, " %.4f (%.1f s) | %,.0f |", best.accuracy(), best.seconds(),
          c.samplesPerSecond()));
      line(report, "%s", row);
    }
    line(report, "| PyTorch 1.13, 1 thread, ReLU, Adam 1e-3, batch 128 (reference from issue 10, not re-run) |"
        + " | 88.5%% after 10 epochs | | about 24,000 |");
    line(report, "| PyTorch DDP, 2 processes (gloo), batch 128 / 1024 (reference, not re-run) |"
        + " | 88.4%% after 10 epochs | | 14,000 / 24,000 |");
    line(report, "%nsteps are epochs (sparkprop) or L-BFGS iterations (MLlib); MLlib's samples/s counts one pass of"
        + " the %d rows per iteration (line-search passes not counted) over fit time", n);
    if (!skipMllib) {
      line(report, "MLlib budget: %.0f s of fit time", budget);
    }
  }
}
