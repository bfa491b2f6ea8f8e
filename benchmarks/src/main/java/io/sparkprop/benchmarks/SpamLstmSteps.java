package io.sparkprop.benchmarks;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Backward;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.LSTM;
import io.sparkprop.core.layer.LayerModel;
import io.sparkprop.core.layer.Pass;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.optim.OptimizerState;
import io.sparkprop.core.optim.Optimizers;
import io.sparkprop.core.tensor.Gemms;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.text.TextConfig;
import io.sparkprop.core.text.TextVectorizer;
import io.sparkprop.core.train.PartitionWorker;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.spark.train.SparkTraining;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where a step of the spam LSTM (Embedding(20,002 × 64) + LSTM(64) + Dense(2), 1.31M parameters)
 * goes, in one run: the parts of a step timed alone on this JVM's thread (a half batch's forward
 * and backward, the embedding's backward alone, zeroing the dense gradient, the driver's sum of two
 * dense partition gradients, the driver's update with Adam over every parameter), then the median
 * step of {@link SparkStepCost#measure} in local[2] with two partitions for jobs mode and barrier
 * mode (in-JVM and TCP channel), each with the sparse embedding-gradient transport and with the
 * dense one ({@link SparkTraining#SPARSE_GRADIENTS} off), so the ratios come from one run.
 *
 * <p>Arguments: {@code --samples N} (training texts used, default 1,280: 20 steps of 64 per
 * epoch), {@code --epochs N} (measured epochs after one warm-up, default 1).
 */
final class SpamLstmSteps {

  private SpamLstmSteps() {
  }

  public static void main(String[] args) throws Exception {
    int samples = 1280;
    int epochs = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--samples" -> samples = Integer.parseInt(args[++i]);
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    TextConfig text = TextConfig.DEFAULTS.withMinCount(2).withMaxTokens(20_002).withMaxLength(256);
    List<SpamTransformer.Example> texts = SpamTransformer.read(Path.of("data/spam/spam-train.jsonl.gz"));
    TextVectorizer vectorizer = TextVectorizer.fit(text, texts.stream().map(SpamTransformer.Example::text).toList());
    DataSet all = SpamTransformer.encode(vectorizer, texts, "spam train");
    DataSet train = all.slice(0, Math.min(samples, all.size()));
    Sequential arch = Sequential.of(Shape.of(text.maxLength()), new Embedding(vectorizer.size(), 64),
        new LSTM(64), new Dense(2));
    int n = arch.paramCount();
    System.out.printf(Locale.ROOT, "spam LSTM: %d texts, %d parameters (embedding %d x 64), GEMM %s; load %s%n",
        train.size(), n, vectorizer.size(), Gemms.best().name(), BenchmarkReport.loadAverage());
    parts(arch, train);
    TrainingConfig cfg = TrainingConfig.DEFAULTS.withOptimizer(new Adam(1e-3)).withBatchSize(64).withSeed(42)
        .withEpochs(1 + epochs);
    SparkSession spark = SparkSession.builder().master("local[2]").appName("spam-lstm-steps")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Dataset<Row> rows = spark.createDataFrame(SpamTransformer.rows(train), SpamTransformer.SCHEMA);
      System.out.println();
      System.out.println("Median step in local[2], 2 partitions, batch 64 (ms; load before each row):");
      System.out.println("| mode | gradient | step | broadcast θ | compute | aggregate | update | CPU/step | load |");
      System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
      for (SparkStepCost.Mode mode : SparkStepCost.Mode.values()) {
        for (boolean sparse : new boolean[] {false, true}) {
          String l = BenchmarkReport.loadAverage();
          jsc.sc().setLocalProperty(SparkTraining.SPARSE_GRADIENTS, Boolean.toString(sparse));
          Model m = Model.init(arch, new SoftmaxCrossEntropy(), 42);
          SparkStepCost.PerStep s = SparkStepCost.measure(jsc, m, rows, cfg, 2, mode);
          System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s |%n", mode.label,
              sparse ? "sparse rows" : "dense", s.total(), s.broadcast(), s.compute(), s.aggregate(), s.update(),
              s.cpu(), l);
        }
      }
      jsc.sc().setLocalProperty(SparkTraining.SPARSE_GRADIENTS, null);
    } finally {
      spark.stop();
    }
  }

  /** The parts of a step, timed alone on this thread (medians over the steps of one epoch). */
  private static void parts(Sequential arch, DataSet train) {
    Model model = Model.init(arch, new SoftmaxCrossEntropy(), 42);
    float[] p = model.params();
    int n = p.length;
    int half = 32;
    PartitionWorker w = new PartitionWorker(arch, new SoftmaxCrossEntropy(), train, 0, 42);
    int steps = PartitionWorker.stepsPerEpoch(train.size(), half);
    float[] g = new float[n];
    float[] other = new float[n];
    float[] sum = new float[n];
    float[] q = p.clone();
    Arrays.fill(other, 1e-3f);
    OptimizerState opt = OptimizerState.create(new Adam(1e-3), n);
    int[] ranges = arch.layout().trainableRanges();
    int t = train.sampleShape().dim(0);
    int vocab = ((Embedding) arch.layers().get(0)).inputDim();
    LayerModel emb = arch.layers().get(0).bind(Shape.of(t), arch.layout(), 0);
    Pass pass = new Pass(true);
    int[] ids = new int[half * t];
    int[] lengths = new int[half];
    float[] dy = new float[half * t * 64];
    Arrays.fill(dy, 1e-4f);
    Backward back = new Backward(pass);
    double[][] ms = new double[6][steps];
    long touched = 0;
    for (int s = 0; s < steps; s++) {
      long t0 = System.nanoTime();
      Arrays.fill(g, 0f);
      long t1 = System.nanoTime();
      w.accumulate(p, 0, s, steps, g);
      long t2 = System.nanoTime();
      int from = (s * half) % (train.size() - half);
      System.arraycopy(train.tokens(), from * t, ids, 0, half * t);
      System.arraycopy(train.lengths(), from, lengths, 0, half);
      pass.setIds(ids);
      pass.setLengths(lengths);
      long t3 = System.nanoTime();
      emb.backward(back.vectors(p, g, half).layer(null, null, dy, null));
      long t4 = System.nanoTime();
      System.arraycopy(g, 0, sum, 0, n);
      for (int i = 0; i < n; i++) {
        sum[i] += other[i];
      }
      long t5 = System.nanoTime();
      float inv = 1f / 64;
      boolean finite = true;
      for (int i = 0; i < n; i++) {
        float v = sum[i] * inv;
        sum[i] = v;
        finite &= Float.isFinite(v);
      }
      Optimizers.step(new Adam(1e-3), opt, q, sum, 1e-3, ranges);
      long t6 = System.nanoTime();
      ms[0][s] = (t1 - t0) / 1e6;
      ms[1][s] = (t2 - t1) / 1e6;
      ms[2][s] = (t4 - t3) / 1e6;
      ms[3][s] = (t5 - t4) / 1e6;
      ms[4][s] = (t6 - t5) / 1e6;
      touched += distinct(ids, lengths, t, vocab);
      if (!finite) {
        throw new IllegalStateException("non-finite gradient");
      }
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "Parts of a step on one thread (median ms over %d steps; half batch = %d texts"
        + " = one partition's share; %.0f distinct ids per half batch of %d):%n", steps, half,
        (double) touched / steps, vocab);
    String[] names = {"zero the dense gradient (1.31M floats)", "forward + backward of the half batch",
        "of which: embedding backward alone (scatter-add of the touched rows)",
        "driver: sum of two dense partition gradients", "driver: g/n, finiteness, Adam over 1.31M"};
    for (int i = 0; i < 5; i++) {
      System.out.printf(Locale.ROOT, "  %-72s %8.2f%n", names[i], SparkStepCost.median(ms[i]));
    }
  }

  private static int distinct(int[] ids, int[] lengths, int t, int vocab) {
    boolean[] seen = new boolean[vocab];
    int d = 0;
    for (int r = 0; r < lengths.length; r++) {
      for (int j = 0; j < lengths[r]; j++) {
        if (!seen[ids[r * t + j]]) {
          seen[ids[r * t + j]] = true;
          d++;
        }
      }
    }
    return d;
  }

}
