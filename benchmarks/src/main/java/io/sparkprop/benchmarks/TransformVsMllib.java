package io.sparkprop.benchmarks;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.io.IdxReader;
import io.sparkprop.ml.NeuralNetClassificationModel;
import io.sparkprop.ml.NeuralNetClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Rows per second of {@code transform} for a 784-256-128-10 classifier in one run, on the same
 * cached data in {@code local[2]}: sparkprop's {@code NeuralNetClassificationModel} in blocks of
 * 1,024 rows (the default), the same model one row at a time ({@code predictionBlockSize = 1}; both
 * run the row-stable inference kernel, so their outputs are the same bits), and MLlib's
 * {@code MultilayerPerceptronClassificationModel}. Both models are
 * fitted for one epoch / iteration on the MNIST sample (their weights do not change the cost).
 * Each timed job computes every output column ({@code rawPrediction}, {@code probability},
 * {@code prediction}) and writes them to Spark's {@code noop} sink. The order of the three
 * variants rotates between repetitions; the median time of each is reported.
 * Arguments (optional): {@code --copies 3} (the 10,000 MNIST rows repeated), {@code --reps 5}.
 */
public final class TransformVsMllib {
  private TransformVsMllib() {
  }

  public static void main(String[] args) throws Exception {
    int copies = 3;
    int reps = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--copies" -> copies = Integer.parseInt(args[++i]);
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; expected --copies N, --reps N");
      }
    }
    SparkSession spark = LocalRun.session("transform-vs-mllib", List.of());
    String load0 = BenchmarkReport.loadAverage();
    IdxReader.Mnist mnist = IdxReader.mnist(IdxReader.findUp(Path.of(""), IdxReader.MNIST_SAMPLE), false);
    Dataset<Row> train = frame(spark, List.of(mnist.train()), 1);
    Dataset<Row> data = frame(spark, List.of(mnist.train(), mnist.test()), copies);
    long rows = data.count();

    NeuralNetClassificationModel ours = new NeuralNetClassifier().setLayers(new int[] {784, 256, 128, 10})
        .setMaxIter(1).setSeed(42).fit(train);
    MultilayerPerceptronClassificationModel mllib = new MultilayerPerceptronClassifier()
        .setLayers(new int[] {784, 256, 128, 10}).setMaxIter(1).setSeed(42L).fit(train);

    System.out.println(LocalRun.environment(spark));
    System.out.printf(Locale.ROOT, "data: %,d rows of 784 features in %d partitions (cached)%n", rows,
        data.rdd().getNumPartitions());
    String[] names = {"sparkprop, blocks of 1,024 rows", "sparkprop, one row at a time (same bits)", "MLlib MLP"};
    List<List<Double>> seconds = new ArrayList<>();
    for (int v = 0; v < names.length; v++) {
      seconds.add(new ArrayList<>());
      time(v, ours, mllib, data); // warm-up
    }
    for (int r = 0; r < reps; r++) {
      for (int k = 0; k < names.length; k++) {
        int v = (r + k) % names.length;
        seconds.get(v).add(time(v, ours, mllib, data));
      }
    }
    double[] median = new double[names.length];
    System.out.printf(Locale.ROOT, "%n| transform | median s | rows/s | vs MLlib |%n| --- | ---: | ---: | ---: |%n");
    for (int v = 0; v < names.length; v++) {
      double[] s = seconds.get(v).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      median[v] = s[s.length / 2];
    }
    for (int v = 0; v < names.length; v++) {
      System.out.printf(Locale.ROOT, "| %s | %.2f | %,.0f | %.1fx |%n", names[v], median[v], rows / median[v],
          median[2] / median[v]);
    }
    System.out.printf(Locale.ROOT, "%n%d repetitions each after one warm-up; load average %s before, %s after%n", reps,
        load0, BenchmarkReport.loadAverage());
    spark.stop();
  }

  /** Seconds of one transform job computing every output column of variant {@code v}. */
  private static double time(int v, NeuralNetClassificationModel ours, MultilayerPerceptronClassificationModel mllib,
                             Dataset<Row> data) {
    Dataset<Row> out = switch (v) {
      case 0 -> ours.setPredictionBlockSize(1024).transform(data);
      case 1 -> ours.setPredictionBlockSize(1).transform(data);
      default -> mllib.transform(data);
    };
    long t0 = System.nanoTime();
    out.select("rawPrediction", "probability", "prediction").write().format("noop").mode("overwrite").save();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The data sets' rows ({@code features}, {@code label}) repeated {@code copies} times, in 2 cached partitions. */
  private static Dataset<Row> frame(SparkSession spark, List<DataSet> sets, int copies) {
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < copies; c++) {
      for (DataSet d : sets) {
        rows.addAll(LocalRun.vectorRows(d));
      }
    }
    Dataset<Row> df = spark.createDataFrame(rows, LocalRun.VECTOR_SCHEMA).repartition(2).cache();
    df.count();
    return df;
  }
}
