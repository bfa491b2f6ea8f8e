package io.sparkprop.cli;

import static io.sparkprop.cli.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.text.TextVectorizer;
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on text: a config's {@code text} section turns a JSON-lines or Parquet text column
 * (csv: {@link WeightColCliTest}) into token ids (vocabulary counted with Spark), the vectorizer
 * is saved beside the model, and {@code evaluate} and {@code predict} read raw text. Texts of two
 * made-up topics (the class is the topic) are separable, so a small LSTM must learn them. Bad
 * text input is in the corpus ({@link BadInputCases}).
 */
class TextCliTest {
  @TempDir
  static Path dir;
  @LocalSpark
  static SparkSession spark;
  static final List<String> SPAM = List.of("win", "money", "free", "offer", "click", "prize", "cash", "now");
  static final List<String> HAM = List.of("meeting", "project", "report", "notes", "agenda", "team", "review",
      "draft");
  static final List<String> BOTH = List.of("the", "a", "to", "and", "of", "please", "today", "you");

  /** {@code n} JSON lines {"text": ..., "label": 0|1}, alternating classes, seeded. */
  static String texts(String name, int n, long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int label = i % 2;
      List<String> words = new ArrayList<>();
      int len = 3 + r.nextInt(8);
      for (int j = 0; j < len; j++) {
        List<String> pool = r.nextInt(3) == 0 ? BOTH : label == 1 ? SPAM : HAM;
        words.add(pool.get(r.nextInt(pool.size())));
      }
      b.append(Json.mapper().createObjectNode().put("text", String.join(" ", words).toUpperCase(java.util.Locale.ROOT))
          .put("label", label)).append('\n');
    }
    return file(name, b.toString());
  }

  static String file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p.toString();
  }

  static String source(String format, String path) {
    return "{\"format\": \"" + format + "\", \"path\": \"" + path + "\"}";
  }

  /** An Embedding-LSTM classifier config on {@code train} (and {@code test}), with {@code text} settings. */
  static String config(String name, String train, String test, String layers, String text, String extra)
      throws IOException {
    return file(name + ".json", """
        {"name": "%s",
         "model": {"layers": %s, "loss": {"type": "softmax_cross_entropy"}},
         "text": %s,
         "training": {"optimizer": {"type": "adam", "learningRate": 0.02}, "epochs": 8, "batchSize": 16},
         "data": {"train": %s%s%s}}
        """.formatted(name, layers, text, train, test == null ? "" : ", \"test\": " + test, extra));
  }

  static final String LSTM = "[{\"type\": \"embedding\", \"inputDim\": 40, \"outputDim\": 8}, "
      + "{\"type\": \"lstm\", \"units\": 8}, {\"type\": \"dense\", \"units\": 2}]";
  static final String TEXT = "{\"column\": \"text\", \"maxTokens\": 40, \"maxLength\": 12}";

  @Test
  void trainsOnRawTextAndPredictsAndEvaluatesRawText() throws IOException {
    String cfg = config("topics", source("json", texts("train.jsonl", 240, 1)), source("jsonl",
        texts("test.jsonl", 60, 2)), LSTM, TEXT, "");
    Path out = dir.resolve("topics-run");
    CliRun t = cli("train", "--config", cfg, "--progress", "none", "--output", out.toString());
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out()).contains("texts as 12 token ids, vocabulary of 26");
    TextVectorizer v = TextVectorizer.load(out.resolve("model/text.json"));
    assertThat(v.vocabulary()).contains("money", "meeting", "the").hasSize(24);
    assertThat(v.config().maxLength()).isEqualTo(12);
    JsonNode metrics = Json.mapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(metrics.get("test_accuracy").asDouble()).isGreaterThanOrEqualTo(0.95);

    CliRun p = cli("predict", "--model", out.resolve("model").toString(), "-o", "-");
    assertThat(p.code()).as(p.err()).isZero();
    List<String> lines = p.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("predicted,label,p_0,p_1");
    assertThat(lines).hasSize(61);
    long right = lines.stream().skip(1).filter(l -> l.split(",")[0].equals(l.split(",")[1])).count();
    assertThat(right / 60.0).isEqualTo(metrics.get("test_accuracy").asDouble(), org.assertj.core.data.Offset
        .offset(1e-12));

    CliRun e = cli("evaluate", "--model", out.resolve("model").toString());
    assertThat(e.code()).as(e.err()).isZero();
    JsonNode eval = Json.mapper().readTree(out.resolve("evaluation.json").toFile());
    assertThat(eval.get("test_accuracy").asDouble()).isEqualTo(metrics.get("test_accuracy").asDouble());
  }

  @Test
  void readsTextFromParquetAndTrainsInOneJvmToo() throws IOException {
    List<org.apache.spark.sql.Row> rows = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(texts("pq.jsonl", 80, 3)))) {
      JsonNode n = Json.mapper().readTree(line);
      rows.add(RowFactory.create(n.get("text").asText(), n.get("label").asLong()));
    }
    StructType schema = new StructType().add("body", DataTypes.StringType).add("label", DataTypes.LongType);
    String pq = dir.resolve("texts.parquet").toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(pq);
    String text = "{\"column\": \"body\", \"maxTokens\": 40, \"maxLength\": 12}";
    for (String backend : List.of("spark", "local")) {
      String cfg = config("pq-" + backend, source("parquet", pq), null, LSTM, text, "");
      Path out = dir.resolve("pq-run-" + backend);
      CliRun t = cli("train", "--config", cfg, "--backend", backend, "--progress", "none", "--epochs", "2",
          "--output", out.toString());
      assertThat(t.code()).as(t.err()).isZero();
      assertThat(out.resolve("model/text.json")).isRegularFile();
    }
  }

  @Test
  void aVectorizerThatDoesNotFitTheModelIsRefused() throws IOException {
    String cfg = config("mismatch", source("json", texts("m.jsonl", 40, 5)), null, LSTM, TEXT, "");
    Path out = dir.resolve("mismatch-run");
    CliRun t = cli("train", "--config", cfg, "--progress", "none", "--epochs", "1", "--output", out.toString());
    assertThat(t.code()).as(t.err()).isZero();
    List<String> big = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      big.add("w" + i);
    }
    new TextVectorizer(TextVectorizer.load(out.resolve("model/text.json")).config(), big)
        .save(out.resolve("model/text.json"));
    CliRun e = cli("evaluate", "--model", out.resolve("model").toString());
    assertThat(e.code()).isEqualTo(2);
    assertThat(e.err()).contains("the text vocabulary has 62 ids but the model's embedding has 40 rows")
        .doesNotContain("\tat ");
  }
}
