package io.sparkprop.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.ModelConfig;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Gemms;
import io.sparkprop.core.text.TextConfig;
import io.sparkprop.core.text.TextVectorizer;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.spark.SparkOptions;
import io.sparkprop.spark.SparkTrainer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Transformer floor on the spam set: the bundled {@code spam-transformer} config (text
 * section, model, training) trained through {@link SparkTrainer} in {@code local[2]}, then test
 * accuracy in one JVM. Prints samples/s and seconds per epoch and exits with status 1 when the
 * test accuracy is under the floor (default 95.0%), so it fails loudly as a gate.
 *
 * <p>Arguments: {@code --config FILE} (default examples/configs/spam-transformer.json),
 * {@code --data DIR} (default data/spam), {@code --epochs N} (default: the config's),
 * {@code --floor PERCENT}, {@code --limit N} (first N training texts, for a quick run; no gate),
 * {@code --local-epochs N} (first time N epochs of the single-JVM trainer on one thread; default 0).
 */
public final class SpamTransformer {
  /** Token rows: features an array of int ids, label a double. */
  static final StructType SCHEMA = new StructType()
      .add("features", DataTypes.createArrayType(DataTypes.IntegerType, false))
      .add("label", DataTypes.DoubleType);

  private SpamTransformer() {
  }

  /** A labelled text. */
  record Example(String text, int label) {
  }

  public static void main(String[] args) throws IOException {
    Path config = Paths.get("examples/configs/spam-transformer.json");
    Path data = Paths.get("data/spam");
    int epochs = -1;
    double floor = 95.0;
    int limit = Integer.MAX_VALUE;
    int localEpochs = 0;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--config" -> config = Paths.get(args[i + 1]);
        case "--data" -> data = Paths.get(args[i + 1]);
        case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
        case "--floor" -> floor = Double.parseDouble(args[i + 1]);
        case "--limit" -> limit = Integer.parseInt(args[i + 1]);
        case "--local-epochs" -> localEpochs = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    JsonNode root;
    try (InputStream in = Files.newInputStream(config)) {
      root = Json.readTree(in, config.toString());
    }
    TextConfig text = Json.treeToValue(root.path("text"), TextConfig.class, config + " text");
    ModelConfig spec = Json.treeToValue(root.path("model"), ModelConfig.class, config + " model");
    TrainingConfig training = Json.treeToValue(root.path("training"), TrainingConfig.class, config + " training");
    if (epochs > 0) {
      training = training.withEpochs(epochs);
    }
    List<Example> train = read(data.resolve("spam-train.jsonl.gz"));
    List<Example> test = read(data.resolve("spam-test.jsonl.gz"));
    if (limit < train.size()) {
      train = train.subList(0, limit);
    }
    List<String> texts = new ArrayList<>();
    for (Example e : train) {
      texts.add(e.text());
    }
    TextVectorizer vectorizer = TextVectorizer.fit(text, texts);
    Sequential arch = spec.architecture(null);
    int vocab = arch.layers().get(0) instanceof io.sparkprop.core.layer.Embedding emb ? emb.inputDim() : -1;
    if (limit == Integer.MAX_VALUE) {
      vectorizer.requireSize(vocab, config.toString());
    } // a quick run on fewer texts has a smaller vocabulary, still inside the embedding
    DataSet trainSet = encode(vectorizer, train, config + " train");
    DataSet testSet = encode(vectorizer, test, config + " test");

    if (localEpochs > 0) {
      // the single-JVM trainer on this thread, for the one-thread comparison with PyTorch
      Model local = Model.init(arch, spec.loss(), spec.seed());
      long l0 = System.nanoTime();
      History lh = new Trainer(training.withEpochs(localEpochs)).fit(local, trainSet, null);
      double secs = (System.nanoTime() - l0) / 1e9;
      LossSums ls = local.evaluate(testSet);
      System.out.printf(Locale.ROOT, "single JVM, 1 thread: %d epochs, %.1f s per epoch, %.1f samples/s, test "
              + "accuracy %.2f%% (train loss %.4f)%n", localEpochs, secs / localEpochs,
          (double) trainSet.size() * localEpochs / secs, 100.0 * ls.correct() / ls.count(), lh.last().loss());
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("spam-transformer")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    System.out.printf(Locale.ROOT, "spam-transformer: %d train / %d test texts, vocabulary %d ids, T = %d, "
            + "%,d parameters, GEMM %s, Spark %s %s%n", trainSet.size(), testSet.size(), vectorizer.size(),
        text.maxLength(), arch.paramCount(), Gemms.best().name(), spark.version(), spark.sparkContext().master());
    Dataset<Row> frame = spark.createDataFrame(rows(trainSet), SCHEMA).repartition(2).cache();
    frame.count();
    Model model = Model.init(arch, spec.loss(), spec.seed());
    long t0 = System.nanoTime();
    History h = new SparkTrainer(training, SparkOptions.DEFAULTS.withPartitions(2)).fit(model, frame, null);
    double total = (System.nanoTime() - t0) / 1e9;
    for (EpochLog e : h.epochs()) {
      System.out.printf(Locale.ROOT, "epoch %d: loss %.4f, train accuracy %.2f%%, %.1f s, %.1f samples/s%n",
          e.epoch(), e.loss(), 100 * e.accuracy(), e.seconds(), e.samplesPerSecond());
    }
    LossSums s = model.evaluate(testSet);
    double acc = 100.0 * s.correct() / s.count();
    int n = h.epochs().size();
    System.out.printf(Locale.ROOT, "test accuracy %.2f%% after %d epochs; %.1f s per epoch, %.1f samples/s "
        + "(fit %.1f s)%n", acc, n, total / n, (double) trainSet.size() * n / total, total);
    spark.stop();
    if (limit == Integer.MAX_VALUE && acc < floor) {
      System.out.printf(Locale.ROOT, "FAILED: test accuracy %.2f%% is under the floor of %.1f%%%n", acc, floor);
      System.exit(1);
    }
  }

  /** The JSON lines {@code {"label": 0|1, "text": "..."}} of a gzip file. */
  static List<Example> read(Path file) throws IOException {
    List<Example> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
        StandardCharsets.UTF_8))) {
      String line;
      int row = 0;
      while ((line = r.readLine()) != null) {
        row++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = Json.mapper().readTree(line);
        if (!n.path("text").isTextual()) {
          throw new IllegalArgumentException(file + " row " + row + ": column 'text' is not a string");
        }
        out.add(new Example(n.get("text").asText(), n.path("label").asInt()));
      }
    }
    return out;
  }

  /** Token ids padded to maxLength; an empty text fails naming its row. */
  static DataSet encode(TextVectorizer v, List<Example> examples, String source) {
    int t = v.config().maxLength();
    int[] ids = new int[examples.size() * t];
    int[] lengths = new int[examples.size()];
    float[] labels = new float[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      lengths[i] = v.encodeNonEmpty(examples.get(i).text(), ids, i * t, source + " row " + (i + 1));
      labels[i] = examples.get(i).label();
    }
    return DataSet.ofTokens(t, 1, examples.size(), ids, labels, lengths);
  }

  /** The rows of a token data set, in {@link #SCHEMA}. */
  static List<Row> rows(DataSet d) {
    int t = d.sampleShape().dim(0);
    List<Row> out = new ArrayList<>(d.size());
    for (int i = 0; i < d.size(); i++) {
      Integer[] ids = new Integer[t];
      for (int j = 0; j < t; j++) {
        ids[j] = d.tokens()[i * t + j];
      }
      out.add(RowFactory.create(ids, (double) d.labels()[i]));
    }
    return out;
  }
}
