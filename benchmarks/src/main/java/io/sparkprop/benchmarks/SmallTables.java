package io.sparkprop.benchmarks;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.io.IdxReader;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.ml.NeuralNetClassificationModel;
import io.sparkprop.ml.NeuralNetClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Small tables in spark.ml against the single-JVM trainer, side by side in one run: the time of
 * {@code NeuralNetClassifier.fit} in {@code local[2]} (sync jobs and barrier) against
 * {@code Trainer.fit} on the same rows, same network, same settings. scikit-learn's wine and
 * digits sets are not on this machine, so the tables are stand-ins of the same size: "wine" is
 * 133 rows x 13 standardised features of 3 Gaussian classes (seeded), "digits" is 1,347 rows of
 * the bundled MNIST sample pooled to 8x8 and scaled to 0..16 as scikit-learn's digits are.
 * The spark.ml fits read the rows as {@code createDataFrame} gives them (a local relation, which
 * the driver converts with no job); {@code --repeat} also times them on the same rows cached (as
 * a table read from a file and cached: one conversion job a fit). Prints seconds and the ratio
 * spark.ml / single JVM (the #15 target: within 3x).
 */
public final class SmallTables {
  private SmallTables() {
  }

  record Table(String name, DataSet data, int classes, int hidden, int epochs, int batch) {
  }

  /**
   * {@code --phases}: also print where 9 more barrier-mode fits of each table spend their time
   * ({@link FitPhases}); {@code --repeat N}: also N rounds of (single JVM, barrier fit), one after
   * the other, and their medians (on a loaded machine one pair says little), on the local relation
   * and then on the cached table.
   */
  public static void main(String[] args) throws Exception {
    boolean phases = List.of(args).contains("--phases");
    int repeat = List.of(args).contains("--repeat") ? Integer.parseInt(args[List.of(args).indexOf("--repeat") + 1]) : 0;
    List<Table> tables = List.of(
        new Table("wine-like (133 x 13, 3 classes)", wine(133, 7), 3, 32, 100, 32),
        new Table("digits-like (1,347 x 64, 10 classes)", digits(1347), 10, 64, 30, 64));
    SparkSession spark = SparkSession.builder().master("local[2]").appName("small-tables")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      System.out.printf(Locale.ROOT, "load before: %s%n", BenchmarkReport.loadAverage());
      System.out.println("| table | epochs x steps | single JVM s | spark.ml jobs s | x | spark.ml barrier s | x | "
          + "train acc (JVM / jobs / barrier) |");
      System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
      for (Table t : tables) {
        // as createDataFrame gives it: a local relation, rows the driver holds (converted with no job)
        Dataset<Row> df = frame(spark, t.data());
        // warm-up of both paths (JIT, Spark's first jobs), not timed
        local(t, 2);
        fitSpark(t, df, "jobs", 2);
        fitSpark(t, df, "barrier", 2);
        long a = System.nanoTime();
        double accLocal = local(t, t.epochs());
        double sLocal = (System.nanoTime() - a) / 1e9;
        double[] jobs = timedSpark(t, df, "jobs");
        double[] barrier = timedSpark(t, df, "barrier");
        int steps = (t.data().size() + t.batch() - 1) / t.batch();
        System.out.printf(Locale.ROOT, "| %s | %d x %d | %.2f | %.2f | %.1f | %.2f | %.1f | %.3f / %.3f / %.3f |%n",
            t.name(), t.epochs(), steps, sLocal, jobs[0], jobs[0] / sLocal, barrier[0], barrier[0] / sLocal, accLocal,
            jobs[1], barrier[1]);
        if (repeat > 0) {
          // the same rows cached; the extra column keeps the cache from serving df's plan too
          Dataset<Row> cached = frame(spark, t.data()).withColumn("cached", functions.lit(true)).cache();
          cached.count();
          fitSpark(t, cached, "barrier", 2);
          for (int i = 0; i < 20; i++) { // the single-JVM trainer warms up for longer than its own time
            local(t, t.epochs());
          }
          rounds(t, df, cached, repeat);
          cached.unpersist(true);
        }
        if (phases) { // 9 more barrier-mode fits, their jobs timed; the medians
          FitPhases probe = new FitPhases();
          for (int i = 0; i < 9; i++) {
            probe.time(spark.sparkContext(), () -> fitSpark(t, df, "barrier", t.epochs()));
          }
          System.out.printf(Locale.ROOT, "%s, barrier mode, median of 9 fits:%n%s", t.name(), probe.report());
        }
      }
      System.out.printf(Locale.ROOT, "load after: %s%n", BenchmarkReport.loadAverage());
    } finally {
      spark.stop();
    }
  }

  /**
   * {@code repeat} rounds of (single-JVM fit, barrier fit of the local relation {@code df}, barrier
   * fit of {@code cached}), one after the other; prints the medians and ratios.
   */
  private static void rounds(Table t, Dataset<Row> df, Dataset<Row> cached, int repeat) {
    double[] one = new double[repeat];
    double[][] spark = new double[2][repeat];
    double[][] ratio = new double[2][repeat];
    for (int i = 0; i < repeat; i++) {
      long b = System.nanoTime();
      local(t, t.epochs());
      one[i] = (System.nanoTime() - b) / 1e9;
      spark[0][i] = timedSpark(t, df, "barrier")[0];
      spark[1][i] = timedSpark(t, cached, "barrier")[0];
      for (int k = 0; k < 2; k++) {
        ratio[k][i] = spark[k][i] / one[i];
      }
    }
    String[] what = {"local relation", "cached table"};
    for (int k = 0; k < 2; k++) {
      System.out.printf(Locale.ROOT, "%s, %d rounds, %s: single JVM median %.3f s, barrier median %.3f s, ratio of "
          + "medians %.1f, median of the rounds' ratios %.1f (min %.1f, max %.1f)%n", t.name(), repeat, what[k],
          median(one), median(spark[k]), median(spark[k]) / median(one), median(ratio[k]), min(ratio[k]),
          max(ratio[k]));
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(double[] v) {
    return java.util.Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return java.util.Arrays.stream(v).max().orElse(Double.NaN);
  }


  private static TrainingConfig config(Table t, int epochs) {
    return TrainingConfig.DEFAULTS.withEpochs(epochs).withBatchSize(t.batch());
  }

  /** Trains with the single-JVM trainer; returns the training accuracy. */
  private static double local(Table t, int epochs) {
    int in = t.data().featureSize();
    List<Layer> layers = new ArrayList<>(List.of(new Dense(t.hidden()), new ReLU(), new Dense(t.classes())));
    Model m = Model.init(new Sequential(Shape.of(in), layers), new SoftmaxCrossEntropy(),
        TrainingConfig.DEFAULTS.seed());
    new Trainer(config(t, epochs)).fit(m, t.data(), null);
    io.sparkprop.core.loss.LossSums s = m.evaluate(t.data());
    return (double) s.correct() / s.count();
  }

  private static NeuralNetClassificationModel fitSpark(Table t, Dataset<Row> df, String sync, int epochs) {
    return new NeuralNetClassifier().setLayers(new int[] {t.data().featureSize(), t.hidden(), t.classes()})
        .setMaxIter(epochs).setBlockSize(t.batch()).setSeed(TrainingConfig.DEFAULTS.seed()).setNumPartitions(2)
        .setSync(sync).fit(df);
  }

  /** {seconds of fit, training accuracy}. */
  private static double[] timedSpark(Table t, Dataset<Row> df, String sync) {
    long a = System.nanoTime();
    NeuralNetClassificationModel m = fitSpark(t, df, sync, t.epochs());
    double s = (System.nanoTime() - a) / 1e9;
    double acc = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(m.transform(df));
    return new double[] {s, acc};
  }

  private static Dataset<Row> frame(SparkSession spark, DataSet d) {
    return spark.createDataFrame(LocalRun.vectorRows(d), LocalRun.VECTOR_SCHEMA);
  }


  /** 3 classes of {@code n} rows x 13 features: class means 1.5 standard deviations apart in random directions. */
  static DataSet wine(int n, long seed) {
    Random r = new Random(seed);
    int f = 13;
    float[][] means = new float[3][f];
    for (float[] m : means) {
      for (int j = 0; j < f; j++) {
        m[j] = (float) (r.nextGaussian() * 1.5);
      }
    }
    float[] x = new float[n * f];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      y[i] = c;
      for (int j = 0; j < f; j++) {
        x[i * f + j] = means[c][j] + (float) r.nextGaussian();
      }
    }
    return new DataSet(Shape.of(f), 1, n, x, y);
  }

  /** The first {@code n} training digits of the bundled sample: centre 24x24 crop, 3x3 mean pool, 0..16. */
  static DataSet digits(int n) throws java.io.IOException {
    DataSet m = IdxReader.mnist(IdxReader.findUp(Path.of(""), IdxReader.MNIST_SAMPLE), false).train();
    float[] x = new float[n * 64];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = m.labels()[i];
      for (int r = 0; r < 8; r++) {
        for (int c = 0; c < 8; c++) {
          float s = 0;
          for (int dr = 0; dr < 3; dr++) {
            for (int dc = 0; dc < 3; dc++) {
              s += m.features()[i * 784 + (2 + r * 3 + dr) * 28 + 2 + c * 3 + dc];
            }
          }
          // the sample's pixels are in [0, 1]; scikit-learn's digits count 0..16
          x[i * 64 + r * 8 + c] = Math.round(s / 9 * 16);
        }
      }
    }
    return new DataSet(Shape.of(64), 1, n, x, y);
  }
}
