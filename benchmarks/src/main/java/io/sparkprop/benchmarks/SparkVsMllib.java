package io.sparkprop.benchmarks;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.io.IdxReader;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Layer;
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
import io.sparkprop.spark.SparkOptions;
import io.sparkprop.spark.SparkTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * One run, one machine, the same cached data: the Spark trainer against Spark MLlib's
 * {@code MultilayerPerceptronClassifier} on the bundled MNIST sample (8,000 train / 2,000 test),
 * both in {@code local[2]}. Prints
 * <ol>
 *   <li>the Spark floor: an empty 2-task job and a broadcast of 101,770 floats;</li>
 *   <li>this trainer's per-step time split and epoch time for 784-128-10 (101,770 parameters) at
 *       batch 128 and 1024, side by side in jobs mode, barrier mode with the in-JVM channel and
 *       barrier mode with the TCP channel;</li>
 *   <li>time to 94% and to 95% test accuracy for 784-256-128-10: this trainer (Adam, per
 *       batch/rate given, test accuracy after every epoch) and MLlib (L-BFGS, fitted afresh with
 *       growing maxIter until one reaches 95% or converges, so its time to a level lies between
 *       two rungs), and their ratio.</li>
 * </ol>
 * Both trainers read the same Parquet copy of the data, cached in memory before any timing.
 * Arguments (all optional): {@code --runs 128:0.001,512:0.004,1024:0.008} (batch:learning-rate
 * of this trainer's time-to-95% runs), {@code --max-epochs 30}, {@code --step-epochs 6} (epochs of
 * the step-cost runs), {@code --mllib-iters 30,60,90,120,300}, {@code --skip-mllib},
 * {@code --conf spark.key=value} (repeatable; e.g. {@code spark.broadcast.compress=false}).
 */
public final class SparkVsMllib {
  private static final double TARGET = 0.95;

  private SparkVsMllib() {
  }

  public static void main(String[] args) throws Exception {
    String runs = "128:0.001,512:0.004,1024:0.008";
    int maxEpochs = 30;
    int stepEpochs = 6;
    String mllibIters = "30,60,90,120,300";
    boolean skipMllib = false;
    List<SparkOptions.Sync> syncs = new ArrayList<>(List.of(SparkOptions.Sync.BARRIER, SparkOptions.Sync.JOBS));
    List<String[]> conf = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = args[++i];
        case "--max-epochs" -> maxEpochs = Integer.parseInt(args[++i]);
        case "--step-epochs" -> stepEpochs = Integer.parseInt(args[++i]);
        case "--mllib-iters" -> mllibIters = args[++i];
        case "--skip-mllib" -> skipMllib = true;
        case "--sync" -> {
          syncs.clear();
          for (String m : args[++i].split(",")) {
            syncs.add(SparkOptions.Sync.valueOf(m.trim().toUpperCase(Locale.ROOT)));
          }
        }
        case "--conf" -> conf.add(args[++i].split("=", 2));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; expected --runs B:LR,..., --max-epochs N, --step-epochs N, --mllib-iters N,..., --skip-mllib,"
            + " --sync barrier,jobs,"
            + " --conf spark.key=value");
      }
    }
    SparkSession spark = LocalRun.session("spark-vs-mllib", conf);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    String load0 = BenchmarkReport.loadAverage();
    IdxReader.Mnist mnist = IdxReader.mnist(IdxReader.findUp(Path.of(""), IdxReader.MNIST_SAMPLE), false);
    Path dir = Files.createTempDirectory("mnist10k-parquet");
    Dataset<Row> train = cached(spark, mnist.train(), dir.resolve("train"));
    Dataset<Row> test = cached(spark, mnist.test(), dir.resolve("test"));
    StringBuilder report = new StringBuilder();
    line(report, "%s", LocalRun.environment(spark));
    for (String[] kv : conf) {
      line(report, "Spark setting %s=%s", kv[0], kv[1]);
    }
    line(report, "data: %d train rows in %d partitions, %d test rows (Parquet, cached)", train.count(),
        train.rdd().getNumPartitions(), test.count());

    // 1. The Spark floor.
    line(report, "%n## Spark floor (200 repetitions)%n");
    line(report, "| operation | wall ms (median) | JVM CPU ms (mean) |%n| --- | ---: | ---: |");
    SparkStepCost.emptyJob(jsc, 2, 100, false);
    SparkStepCost.emptyJob(jsc, 2, 100, true);
    SparkStepCost.Cost job = SparkStepCost.emptyJob(jsc, 2, 200, false);
    line(report, "| empty job, 2 tasks on a cached RDD: JavaRDD mapPartitions + collect | %.2f | %.2f |", job.wallMillis(),
        job.cpuMillis());
    job = SparkStepCost.emptyJob(jsc, 2, 200, true);
    line(report, "| empty job, 2 tasks on a cached RDD: SparkContext.runJob (as the trainer) | %.2f | %.2f |",
        job.wallMillis(), job.cpuMillis());
    SparkStepCost.Cost bc = SparkStepCost.broadcast(jsc, 101_770, 200);
    line(report, "| broadcast + destroy of 101,770 floats | %.2f | %.2f |", bc.wallMillis(), bc.cpuMillis());

    // 2. Per-step cost, 100k parameters.
    line(report, "%n## Step cost, 784-128-10 (101,770 parameters), Adam, 2 partitions%n");
    line(report, "Median wall ms per step over epochs 2-%d (epoch 1 is warm-up); JVM CPU ms per step, epoch s and"
        + " samples/s are means.%n", stepEpochs);
    line(report, "| sync | batch | steps/epoch | step ms | broadcast | compute | aggregate | update | Spark overhead"
        + " | JVM CPU ms | epoch s | samples/s |");
    line(report, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (int batch : new int[] {128, 1024}) {
      for (SparkStepCost.Mode mode : SparkStepCost.Mode.values()) {
        Model m = Model.init(mlp(new Dense(128), new ReLU(), new Dense(10)), new SoftmaxCrossEntropy(), 42);
        TrainingConfig cfg = TrainingConfig.DEFAULTS.withOptimizer(new Adam(1e-3)).withEpochs(stepEpochs)
            .withBatchSize(batch);
        SparkStepCost.PerStep s = SparkStepCost.measure(jsc, m, train, cfg, 2, mode);
        line(report, "| %s | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.3f | %,.0f |", mode.label,
            batch, s.steps(), s.total(), s.broadcast(), s.compute(), s.aggregate(), s.update(), s.overhead(), s.cpu(),
            s.epochSeconds(), s.samplesPerSecond());
      }
    }

    // 3. Time to 94% and 95%.
    line(report, "%n## Time to test accuracy, 784-256-128-10 (times from the start of fit)%n");
    line(report, "| trainer | settings | epochs / iterations | test accuracy | seconds |");
    line(report, "| --- | --- | ---: | ---: | ---: |");
    List<List<List<Point>>> oursCurves = new ArrayList<>();
    for (SparkOptions.Sync sync : syncs) {
      List<List<Point>> curves = new ArrayList<>();
      oursCurves.add(curves);
      for (String run : runs.split(",")) {
        String[] bl = run.split(":");
        int batch = Integer.parseInt(bl[0]);
        List<Point> c = ours(train, test, batch, Double.parseDouble(bl[1]), maxEpochs, sync);
        curves.add(c);
        for (Point pt : c) {
          line(report, "| sparkprop (Spark, sync %s) | Adam lr %s, batch %d | %d | %.4f | %.1f |", name(sync), bl[1],
              batch, pt.steps(), pt.accuracy(), pt.seconds());
        }
      }
    }
    List<Point> ladder = new ArrayList<>();
    boolean converged = false;
    if (!skipMllib) {
      mllib(train, test, 5); // warm-up (JIT, MLlib's code paths), as this trainer's earlier runs warmed up its own
      for (String it : mllibIters.split(",")) {
        int iters = Integer.parseInt(it);
        Point pt = mllib(train, test, iters);
        ladder.add(pt);
        line(report, "| Spark MLlib MLP | L-BFGS, maxIter %d, blockSize 128 | %d | %.4f | %.1f |", iters, pt.steps(),
            pt.accuracy(), pt.seconds());
        converged = pt.steps() < iters; // L-BFGS stopped before maxIter
        if (pt.accuracy() >= TARGET || converged) {
          break;
        }
      }
    }
    line(report, "");
    for (int si = 0; si < syncs.size(); si++) {
    for (double target : new double[] {0.94, TARGET}) {
      double best = Double.NaN;
      for (List<Point> c : oursCurves.get(si)) {
        Point pt = first(c, target);
        if (pt != null && !(pt.seconds() >= best)) {
          best = pt.seconds();
        }
      }
      String m;
      if (ladder.isEmpty()) {
        m = "MLlib not run";
      } else {
        int k = 0;
        while (k < ladder.size() && ladder.get(k).accuracy() < target) {
          k++;
        }
        if (k < ladder.size()) {
          double upper = ladder.get(k).seconds();
          double lower = k > 0 ? ladder.get(k - 1).seconds() : 0;
          m = String.format(Locale.ROOT, "MLlib between %.1f and %.1f s (maxIter %s did not reach it, %d did);"
              + " ratio %.1fx to %.1fx", lower, upper, k > 0 ? String.valueOf(ladder.get(k - 1).steps()) : "-",
              ladder.get(k).steps(), lower / best, upper / best);
        } else {
          Point last = ladder.get(ladder.size() - 1);
          m = String.format(Locale.ROOT, "MLlib never reaches it (%.4f after %d iterations, %.1f s%s); ratio > %.1fx",
              last.accuracy(), last.steps(), last.seconds(), converged ? ", converged" : "", last.seconds() / best);
        }
      }
      line(report, "- to %.0f%%: sparkprop (sync %s) %.1f s; %s", 100 * target, name(syncs.get(si)), best, m);
    }
    }
    line(report, "load average before %s, after %s", load0, BenchmarkReport.loadAverage());
    System.out.println();
    System.out.print(report);
    spark.stop();
  }

  private static Sequential mlp(Layer... layers) {
    return Sequential.of(Shape.of(784), layers);
  }

  /** Writes {@code d} to Parquet (features vector, label double) and reads it back, cached. */
  private static Dataset<Row> cached(SparkSession spark, DataSet d, Path path) {
    spark.createDataFrame(LocalRun.vectorRows(d), LocalRun.VECTOR_SCHEMA).repartition(2).write().mode(SaveMode.Overwrite).parquet(path.toString());
    Dataset<Row> back = spark.read().parquet(path.toString()).cache();
    back.count();
    return back;
  }

  /** Test accuracy after {@code steps} epochs (or L-BFGS iterations), {@code seconds} after fit began. */
  private record Point(int steps, double accuracy, double seconds) {
  }

  /** The first point of {@code curve} at or above {@code target}, or null. */
  private static Point first(List<Point> curve, double target) {
    for (Point p : curve) {
      if (p.accuracy() >= target) {
        return p;
      }
    }
    return null;
  }

  /** Thrown by the listener to end a run once the target is reached. */
  private static final class TargetReached extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TargetReached() {
      super("target reached", null, false, false);
    }
  }

  /** Trains until {@link #TARGET} test accuracy (or {@code maxEpochs}); one point per epoch. */
  private static List<Point> ours(Dataset<Row> train, Dataset<Row> test, int batch, double lr, int maxEpochs,
                                  SparkOptions.Sync sync) {
    Model m = Model.init(mlp(new Dense(256), new ReLU(), new Dense(128), new ReLU(), new Dense(10)),
        new SoftmaxCrossEntropy(), 42);
    TrainingConfig cfg = TrainingConfig.DEFAULTS.withOptimizer(new Adam(lr)).withEpochs(maxEpochs).withBatchSize(batch);
    List<Point> curve = new ArrayList<>();
    long t0 = System.nanoTime();
    SparkTrainer t = new SparkTrainer(cfg, SparkOptions.DEFAULTS.withPartitions(2).withSync(sync)).addListener(new TrainingListener() {
      @Override
      public void onEpochEnd(EpochLog log, TrainingState state, Model model) {
        curve.add(new Point(log.epoch(), log.valAccuracy(), (System.nanoTime() - t0) / 1e9));
        if (log.valAccuracy() >= TARGET) {
          throw new TargetReached();
        }
      }
    });
    try {
      t.fit(m, train, test);
    } catch (TargetReached done) {
      // the time is taken at the end of the epoch that reached the target
    }
    return curve;
  }

  /** One MLlib fit from scratch with at most {@code maxIter} L-BFGS iterations. */
  private static Point mllib(Dataset<Row> train, Dataset<Row> test, int maxIter) {
    MultilayerPerceptronClassifier c = new MultilayerPerceptronClassifier().setLayers(new int[] {784, 256, 128, 10})
        .setSolver("l-bfgs").setMaxIter(maxIter).setSeed(42L).setBlockSize(128);
    long t0 = System.nanoTime();
    MultilayerPerceptronClassificationModel model = c.fit(train);
    double sec = (System.nanoTime() - t0) / 1e9;
    double acc = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
    return new Point(model.summary().totalIterations(), acc, sec);
  }

  private static String name(SparkOptions.Sync s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  static void line(StringBuilder b, String format, Object... args) {
    String s = String.format(Locale.ROOT, format, args);
    System.out.println(s);
    b.append(s).append('\n');
  }
}
