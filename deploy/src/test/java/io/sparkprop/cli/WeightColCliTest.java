package io.sparkprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.io.ModelIO;
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data.weightCol} through the command line: a row of weight 2 trains as that row twice
 * (on Spark with one partition and in one JVM), {@code training.classWeight} multiplies the
 * sample weights, and a csv text column with a weight column trains and predicts raw text. One
 * step per epoch (the batch holds every row), so duplicating rows changes no batch: the only
 * difference left is the order of a float sum.
 */
@Tag("slow")
class WeightColCliTest {
  @TempDir
  static Path dir;
  @LocalSpark
  static SparkSession spark;

  static String file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content).toString();
  }

  /** 12 rows of 3 classes; row i as "x1,x2" then {@code rest.apply(i)} (the weight and/or label cells). */
  static String rows(String header, IntFunction<String> rest, int[] again) {
    StringBuilder b = new StringBuilder(header).append('\n');
    for (int i = 0; i < 12; i++) {
      b.append(0.3 * i - 1).append(',').append(Math.sin(i)).append(',').append(rest.apply(i)).append('\n');
    }
    for (int i : again) {
      b.append(0.3 * i - 1).append(',').append(Math.sin(i)).append(',').append(rest.apply(i)).append('\n');
    }
    return b.toString();
  }

  static final int[] HEAVY = {0, 3, 7};

  static boolean heavy(int i) {
    return i == 0 || i == 3 || i == 7;
  }

  /** A 3-class softmax model, full-batch SGD, 4 epochs, no validation, one partition. */
  static String config(String name, String csv, String dataExtra, String trainingExtra) throws IOException {
    return config(name, csv, 0, dataExtra, trainingExtra);
  }

  /** As above, {@code split} of the rows held out for validation. */
  static String config(String name, String csv, double split, String dataExtra, String trainingExtra)
      throws IOException {
    return file(name + ".json", """
        {"name": "%s",
         "model": {"layers": [{"type": "dense", "units": 4}, {"type": "tanh"}, {"type": "dense", "units": 3}],
                   "loss": {"type": "softmax_cross_entropy"}, "seed": 7},
         "training": {"optimizer": {"type": "sgd", "learningRate": 0.5}, "epochs": 4, "batchSize": 64%s},
         "spark": {"partitions": 1},
         "data": {"train": {"format": "csv", "path": "%s", "header": true}, "validationSplit": %s%s}}
        """.formatted(name, trainingExtra, csv, split, dataExtra));
  }

  static float[] train(String cfg, String backend, String expect) throws IOException {
    Path out = dir.resolve("run-" + Path.of(cfg).getFileName() + "-" + backend);
    CliRun r = CliRun.cli("train", "--config", cfg, "--backend", backend, "--progress", "none",
        "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains(expect);
    return ModelIO.load(out.resolve("model")).params();
  }

  static void assertClose(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < a.length; i++) {
      assertThat((double) a[i]).as("parameter %d", i).isCloseTo(b[i], org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void weightTwoTrainsAsTheRowTwiceOnSparkAndInOneJvm() throws IOException {
    String weighted = config("weighted", file("weighted.csv", rows("x1,x2,w,label",
        i -> (heavy(i) ? 2 : 1) + "," + i % 3, new int[0])), ", \"weightCol\": \"w\"", "");
    String twice = config("twice", file("twice.csv", rows("x1,x2,label", i -> Integer.toString(i % 3), HEAVY)),
        "", "");
    float[] spark = train(weighted, "spark", "sample weights from column 'w' (training only)");
    float[] local = train(weighted, "local", "sample weights from column 'w'");
    float[] duplicated = train(twice, "spark", "3 classes");
    assertClose(spark, duplicated);
    assertClose(local, duplicated);
    float[] plain = train(config("plain", file("plain.csv", rows("x1,x2,label", i -> Integer.toString(i % 3),
        new int[0])), "", ""), "spark", "3 classes");
    assertThat(Math.abs(plain[0] - spark[0]) + Math.abs(plain[1] - spark[1]))
        .as("the weights changed the training").isGreaterThan(1e-4f);
  }

  @Test
  void theWeightSurvivesTheSplitPreprocessingAndTextEncodingButNotIntoValidation() throws IOException {
    StringBuilder b = new StringBuilder("x1,x2,w,label\n");
    for (int i = 0; i < 200; i++) {
      b.append(i).append(',').append(i % 7).append(',').append(i % 5).append(',').append(10 + i % 2).append('\n');
    }
    String cfg = config("split", file("split.csv", b.toString()), 0.2, ", \"weightCol\": \"w\", \"standardize\": true",
        "");
    var loaded = io.sparkprop.cli.config.ConfigLoader.load(cfg, List.of());
    Inputs.Frames f = Inputs.load(spark, loaded, true);
    assertThat(f.validation().columns()).containsExactly("features", "label");
    Preprocessing pre = Preprocessing.fit(f.train(), true, 2);
    var rows = pre.apply(f.train(), "data.train").collectAsList();
    assertThat(rows).hasSizeBetween(150, 170);
    for (var r : rows) {
      // x1 = i, so the weight of the row is i % 5 of the original row index: the weight stayed with its row
      double x1 = ((org.apache.spark.ml.linalg.Vector) r.get(0)).apply(0) / pre.scale()[0] + pre.mean()[0];
      assertThat(r.getDouble(2)).as("row x1 = %s", x1).isEqualTo(Math.rint(x1) % 5);
      assertThat(r.getDouble(1)).isEqualTo(Math.rint(x1) % 2); // labels 10/11 indexed to 0/1
    }
    var texts = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("win cash", 1.0, 3.0)),
        new org.apache.spark.sql.types.StructType().add("text", "string").add("label", "double")
            .add("weight", "double"));
    var v = new io.sparkprop.core.text.TextVectorizer(io.sparkprop.core.text.TextConfig.DEFAULTS.withMaxLength(4),
        List.of("win", "cash"));
    assertThat(TextInputs.ids(texts, v, "body", "data.train").first().getDouble(2)).isEqualTo(3.0);
  }

  @Test
  void classWeightsMultiplyTheSampleWeights() throws IOException {
    String both = config("both", file("both.csv", rows("x1,x2,w,label", i -> (heavy(i) ? 2 : 1) + "," + i % 3,
        new int[0])), ", \"weightCol\": \"w\"", ", \"classWeight\": {\"1\": 3}");
    String folded = config("folded", file("folded.csv", rows("x1,x2,w,label",
        i -> (heavy(i) ? 2 : 1) * (i % 3 == 1 ? 3 : 1) + "," + i % 3, new int[0])), ", \"weightCol\": \"w\"", "");
    assertClose(train(both, "spark", "(times the sample weights of column 'w')"),
        train(folded, "spark", "sample weights from column 'w'"));
  }

  @Test
  void csvTextsWithAWeightColumnTrainAndPredictRawText() throws IOException {
    StringBuilder b = new StringBuilder("id,body,label,w\n");
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < 160; i++) {
      int label = i % 2;
      List<String> pool = label == 1 ? TextCliTest.SPAM : TextCliTest.HAM;
      StringBuilder t = new StringBuilder();
      for (int j = 0; j < 4 + r.nextInt(5); j++) {
        // separators, line breaks and quotes inside the quoted text
        t.append(j == 0 ? "" : j % 3 == 0 ? ",\n" : j % 2 == 0 ? ", " : " \"\"")
            .append(pool.get(r.nextInt(pool.size())));
      }
      b.append(i).append(",\"").append(t).append("\",").append(label).append(',').append(1 + i % 2).append('\n');
    }
    String csv = file("mail.csv", b.toString());
    String source = "{\"format\": \"csv\", \"path\": \"" + csv + "\", \"header\": true}";
    String text = "{\"column\": \"body\", \"maxTokens\": 40, \"maxLength\": 12}";
    String cfg = file("csv-texts.json", """
        {"name": "csv-texts",
         "model": {"layers": %s, "loss": {"type": "softmax_cross_entropy"}},
         "text": %s,
         "training": {"optimizer": {"type": "adam", "learningRate": 0.02}, "epochs": 8, "batchSize": 16},
         "data": {"train": %s, "test": %s, "weightCol": "w"}}
        """.formatted(TextCliTest.LSTM, text, source, source));
    Path out = dir.resolve("csv-texts-run");
    CliRun t = CliRun.cli("train", "--config", cfg, "--progress", "none", "--output",
        out.toString());
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out()).contains("texts as 12 token ids, vocabulary of 18", "sample weights from column 'w'");
    CliRun p = CliRun.cli("predict", "--model", out.resolve("model").toString(), "-o", "-");
    assertThat(p.code()).as(p.err()).isZero();
    List<String> lines = p.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("predicted,label,p_0,p_1");
    assertThat(lines).hasSize(161);
    long right = lines.stream().skip(1).filter(l -> l.split(",")[0].equals(l.split(",")[1])).count();
    assertThat(right).as(p.out()).isGreaterThanOrEqualTo(152);
  }
}
