package io.sparkprop.benchmarks;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.LSTM;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Gemms;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.spark.SparkOptions;
import io.sparkprop.spark.SparkTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Embedding(64) + LSTM(64) + Dense(2) on the bundled spam set (Adam 1e-3, batch 64, first 256 word
 * tokens): seconds per epoch and samples/s of the single-JVM trainer (one thread) and of
 * SparkTrainer in local[2] with two partitions, and the test accuracy after the Spark run, which
 * must reach 95.0% (exit status 1 otherwise). PyTorch's reference on this split: 94.7% after 5
 * epochs at 15-25 s per epoch on one thread.
 *
 * <p>Arguments: {@code --epochs N} (Spark run, default 5), {@code --local-epochs N} (single-JVM
 * run, default 1; 0 skips it).
 */
final class SpamLstm {
  private static final double FLOOR = 0.95;

  private SpamLstm() {
  }

  public static void main(String[] args) throws Exception {
    int epochs = 5;
    int localEpochs = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "--local-epochs" -> localEpochs = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    SpamData.Split data = SpamData.load();
    Sequential arch = Sequential.of(Shape.of(SpamData.MAX_TOKENS), new Embedding(data.vocabulary(), 64),
        new LSTM(64), new Dense(2));
    System.out.printf(Locale.ROOT, "spam: %d train / %d test, vocabulary %d, %d parameters, GEMM %s%n",
        data.train().size(), data.test().size(), data.vocabulary(), arch.paramCount(), Gemms.best().name());
    TrainingConfig cfg = TrainingConfig.DEFAULTS.withOptimizer(new Adam(1e-3)).withBatchSize(64).withSeed(42);
    List<String> rows = new ArrayList<>();
    if (localEpochs > 0) {
      Model local = Model.init(arch, new SoftmaxCrossEntropy(), 42);
      History h = new Trainer(cfg.withEpochs(localEpochs)).fit(local, data.train(), null);
      rows.add(row("single JVM, 1 thread", h, local.evaluate(data.test()).accuracy()));
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("spam-lstm")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    double accuracy;
    try {
      Model model = Model.init(arch, new SoftmaxCrossEntropy(), 42);
      History h = new SparkTrainer(cfg.withEpochs(epochs), SparkOptions.DEFAULTS.withPartitions(2))
          .fit(model, frame(spark, data.train()), null);
      accuracy = model.evaluate(data.test()).accuracy();
      rows.add(row("SparkTrainer local[2], 2 partitions", h, accuracy));
    } finally {
      spark.stop();
    }
    System.out.println();
    System.out.println("| run | epochs | s/epoch (mean) | s/epoch (last) | samples/s | test accuracy |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
    rows.forEach(System.out::println);
    System.out.println("| PyTorch 1.13, 1 thread (reference) | 5 | 15-25 | | | 94.7% |");
    if (accuracy < FLOOR) {
      System.out.printf(Locale.ROOT, "%nFAILED: test accuracy %.2f%% is below the %.1f%% floor%n", 100 * accuracy,
          100 * FLOOR);
      System.exit(1);
    }
    System.out.printf(Locale.ROOT, "%nfloor met: %.2f%% >= %.1f%%%n", 100 * accuracy, 100 * FLOOR);
  }

  private static String row(String what, History h, double accuracy) {
    double sum = 0;
    long samples = 0;
    for (EpochLog e : h.epochs()) {
      sum += e.seconds();
      samples += e.samples();
    }
    int n = h.epochs().size();
    return String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.0f | %.2f%% |", what, n, sum / n,
        h.last().seconds(), samples / sum, 100 * accuracy);
  }

  /** Token rows: features an array of int ids, label a double. */
  private static Dataset<Row> frame(SparkSession spark, DataSet d) {
    StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.IntegerType, false))
        .add("label", DataTypes.DoubleType);
    int t = d.featureSize();
    List<Row> rows = new ArrayList<>(d.size());
    for (int i = 0; i < d.size(); i++) {
      Integer[] ids = new Integer[t];
      for (int j = 0; j < t; j++) {
        ids[j] = d.tokens()[i * t + j];
      }
      rows.add(RowFactory.create(ids, (double) d.labels()[i]));
    }
    return spark.createDataFrame(rows, schema);
  }
}
