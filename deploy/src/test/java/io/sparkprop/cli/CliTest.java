package io.sparkprop.cli;

import static io.sparkprop.cli.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.core.model.Model;
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program end to end on 1,000 samples of the bundled MNIST sample, in Spark local mode (one
 * session for the class, which the commands join): {@code train} once for the class, then
 * {@code evaluate}, {@code predict}, {@code summary} and {@code lr-find} on its output, and a
 * checkpointed run resumed.
 */
@Tag("slow") // about 40 s of training runs: the full tier runs it, the quick tier leaves it out
class CliTest {
  @TempDir
  static Path tmp;
  // the commands join this session as a user's would: Spark's default shuffle partitions, not the tests' 4
  @LocalSpark(conf = {"spark.sql.shuffle.partitions", "200"})
  static SparkSession spark;
  static Path run;
  static CliRun trained;

  @BeforeAll
  static void train() {
    run = tmp.resolve("run");
    // the default config's batch of 1024 would be one step per epoch on 1,000 samples
    trained = cli("train", "--limit", "1000", "--epochs", "2", "--batch-size", "100", "--progress", "none", "--output",
        run.toString());
    assertThat(trained.code()).as(trained.err()).isZero();
  }

  @Test
  void trainPrintsSummaryEpochsAndTestAccuracy() {
    assertThat(trained.out()).contains("config: mnist-mlp.json", "Total params: 235,146", "10 classes",
        "training on Spark 4.2.0, master local[2], 2 partitions, sync auto (started in ", "epoch 1/2 - loss ",
        "epoch 2/2 - loss ", "test: loss ", "wrote " + run,
        "validation on 10% per class of the training data (seed 42), test data evaluated after training");
    assertThat(spark.sparkContext().isStopped()).as("the command leaves a session it joined running").isFalse();
  }

  @Test
  void aCheckpointedRunResumesToMoreEpochs() throws IOException {
    Path first = tmp.resolve("ck1");
    String ck = tmp.resolve("ck1.ckpt").toUri().toString();
    CliRun a = cli("train", "--limit", "500", "--epochs", "1", "--progress", "none", "--set",
        "checkpoint.everyEpochs=1", "--set", "checkpoint.path=" + ck, "--output", first.toString());
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(a.out()).contains("checkpoints every 1 epochs to " + ck);
    Path second = tmp.resolve("ck2");
    CliRun b = cli("train", "--limit", "500", "--epochs", "2", "--progress", "none", "--resume", ck, "--output",
        second.toString());
    assertThat(b.code()).as(b.err()).isZero();
    assertThat(b.out()).doesNotContain("epoch 1/2 - ").contains("resuming at epoch 2 of 2 (the checkpoint holds 1)",
        "epoch 2/2 - loss ");
    List<String> csv = Files.readAllLines(second.resolve("history.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(1)).isEqualTo(Files.readAllLines(first.resolve("history.csv")).get(1));
  }

  /** Issue 14: training.classWeight becomes a weight column of the training rows, in both backends. */
  @Test
  void classWeightsWeighTheTrainingRows() throws IOException {
    Path dir = tmp.resolve("weighted");
    CliRun r = cli("train", "--limit", "300", "--epochs", "1", "--progress", "none", "--set",
        "training.classWeight={\"3\": 2.5}", "--set", "data.validationSplit=0", "--set", "metrics.topK=3", "--output",
        dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("class weights: 0: 1.000, 1: 1.000, 2: 1.000, 3: 2.500, 4: 1.000",
        ", no validation, test data evaluated after training");
    assertThat(Files.readString(dir.resolve("config.json"))).contains("\"classWeight\" : {");
    assertThat(Json.mapper().readTree(dir.resolve("metrics.json").toFile()).has("test_top_3_accuracy")).isTrue();
    CliRun b = cli("train", "--backend", "local", "--limit", "300", "--epochs", "1", "--progress", "none", "--set",
        "training.classWeight=balanced", "--output", tmp.resolve("balanced").toString());
    assertThat(b.code()).as(b.err()).isZero();
    assertThat(b.out()).contains("class weights: 0: ", "training on this JVM");
    CliRun bad = cli("train", "--limit", "300", "--epochs", "1", "--progress", "none", "--set",
        "training.classWeight={\"12\": 2}", "--output", tmp.resolve("bad-weights").toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("error: training.classWeight: 12.0 is not a class of the model; the labels are "
        + "the class indices 0..9");
    assertThat(tmp.resolve("bad-weights")).doesNotExist();
  }

  @Test
  void sparkSyncFromTheConfigChoosesTheModeThatRuns() {
    try (SparkLogCapture log = SparkLogCapture.capture()) {
      CliRun r = cli("train", "--limit", "300", "--epochs", "1", "--batch-size", "100", "--progress", "log", "--set",
          "spark.sync=jobs", "--output", tmp.resolve("jobs").toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("master local[2], 2 partitions, sync jobs (started in ");
      // the trainer's own line says which mode ran (auto would name the mode it chose)
      assertThat(log.lines()).anyMatch(l -> l.startsWith("training on ") && l.contains(" partitions, sync jobs, "))
          .noneMatch(l -> l.contains("sync barrier"));
    }
  }

  @Test
  void theLocalBackendTrainsInThisJvm() {
    CliRun r = cli("train", "--backend", "local", "--limit", "300", "--epochs", "1", "--progress", "none", "--output",
        tmp.resolve("local").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("training on this JVM (no Spark, one partition)", "epoch 1/1 - loss ");
  }

  @Test
  void trainWritesModelHistoryPlotsAndMetrics() throws IOException {
    for (String f : List.of("config.json", "history.csv", "history.json", "training.png", "metrics.json",
        "confusion-matrix.txt", "confusion-matrix.png", "model/model.json", "model/params.bin")) {
      assertThat(run.resolve(f)).as(f).isRegularFile();
    }
    List<String> csv = Files.readAllLines(run.resolve("history.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(0)).startsWith("epoch,loss,accuracy,val_loss,val_accuracy,lr,");
    assertThat(csv.get(1)).startsWith("1,");
    assertThat(csv.get(2)).startsWith("2,");
    assertPng(run.resolve("training.png"));
    assertPng(run.resolve("confusion-matrix.png"));
    JsonNode metrics = Json.mapper().readTree(run.resolve("metrics.json").toFile());
    assertThat(metrics.get("epochs").asInt()).isEqualTo(2);
    assertThat(metrics.get("test_samples").asInt()).isEqualTo(1000);
    // 1,000 digits, 2 epochs of Adam: well above chance (0.1); the full default run is checked by hand.
    assertThat(metrics.get("test_accuracy").asDouble()).isGreaterThan(0.75);
    // issue 14: the metrics beyond accuracy, for the test data and the last epoch's validation
    assertThat(metrics.fieldNames()).toIterable().contains("test_f1_macro", "test_top_5_accuracy", "test_log_loss",
        "test_precision_weighted", "test_per_class", "final_val_f1_macro", "final_val_log_loss");
    assertThat(metrics.get("test_per_class").size()).isEqualTo(10);
    Model m = ModelIO.load(run.resolve("model"));
    assertThat(m.architecture().paramCount()).isEqualTo(235_146);
  }

  @Test
  void evaluateReproducesTheTestMetricsOfTraining() throws IOException {
    CliRun r = cli("evaluate", "--model", run.resolve("model").toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode metrics = Json.mapper().readTree(run.resolve("metrics.json").toFile());
    JsonNode eval = Json.mapper().readTree(run.resolve("evaluation.json").toFile());
    assertThat(eval.get("test_accuracy").asDouble()).isEqualTo(metrics.get("test_accuracy").asDouble());
    assertThat(eval.get("test_samples").asInt()).isEqualTo(1000);
    assertThat(eval.get("test_f1_macro").asDouble()).isEqualTo(metrics.get("test_f1_macro").asDouble());
    assertThat(r.out()).contains("macro avg", "weighted avg", " - f1_macro ");
    assertThat(r.out()).contains("Confusion matrix (rows: true class, columns: predicted), 1000 samples");
  }

  @Test
  void predictWritesAFolderOfCsvOrParquetAndToStdout() throws IOException {
    Path folder = tmp.resolve("predictions");
    CliRun r = cli("predict", "--model", run.resolve("model").toString(), "--output", folder.toString(), "--show", "3");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = new java.util.ArrayList<>();
    try (var files = Files.list(folder)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList()) {
        List<String> l = Files.readAllLines(f);
        assertThat(l.get(0)).isEqualTo("predicted,label,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9");
        lines.addAll(l.subList(1, l.size()));
      }
    }
    assertThat(lines).hasSize(1000);
    String[] row = lines.get(0).split(",");
    double sum = Arrays.stream(row, 2, 12).mapToDouble(Double::parseDouble).sum();
    assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(r.out()).contains("0: ", "predicted 1,000 samples");
    try (var left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
    }
    CliRun again = cli("predict", "--model", run.resolve("model").toString(), "--output", folder.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("already exists");

    Path parquet = tmp.resolve("predictions.parquet");
    CliRun p = cli("predict", "--model", run.resolve("model").toString(), "--output", parquet.toString(), "--format",
        "parquet", "--show", "0");
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(spark.read().parquet(parquet.toString()).count()).isEqualTo(1000);

    CliRun stdout = cli("predict", "--model", run.resolve("model").toString(), "--limit", "5", "-o", "-");
    assertThat(stdout.code()).as(stdout.err()).isZero();
    assertThat(stdout.out().lines().toList()).hasSize(6).first()
        .isEqualTo("predicted,label,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9");
  }

  @Test
  void summaryOfASavedModelAndOfAConfig() {
    CliRun m = cli("summary", "--model", run.resolve("model").toString());
    assertThat(m.code()).isZero();
    assertThat(m.out()).contains("dense_0 (Dense)", "Total params: 235,146", "loss: {\"type\":\"softmax_cross_entropy\"}");
    CliRun c = cli("summary", "--set", "model.layers[0].units=32");
    assertThat(c.code()).isZero();
    assertThat(c.out()).contains("(None, 32)", "Total params: " + String.format("%,d", 784 * 32 + 32 + 32 * 128 + 128
        + 128 * 10 + 10));
  }

  /** In this JVM: the range test goes through the same backend seam as train, whose Spark path is tested above. */
  @Test
  void lrFindSuggestsARate() throws IOException {
    Path out = tmp.resolve("lr");
    CliRun r = cli("lr-find", "--backend", "local", "--limit", "600", "--steps", "30", "--min-lr", "1e-5", "--max-lr", "10", "--output",
        out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("suggested learning rate: ");
    String line = r.out().lines().filter(l -> l.startsWith("use it with: --lr ")).findFirst().orElseThrow();
    double lr = Double.parseDouble(line.substring("use it with: --lr ".length()));
    assertThat(lr).isBetween(1e-4, 1.0);
    List<String> csv = Files.readAllLines(out.resolve("lr-find.csv"));
    assertThat(csv.get(0)).isEqualTo("step,lr,loss,smoothed_loss");
    assertThat(csv.size()).isBetween(12, 31);
    assertPng(out.resolve("lr-find.png"));
  }

  @Test
  void badCommandLinesExitWithCode2AndTheKeyPath() {
    CliRun r = cli("train", "--epochs", "0", "--output", tmp.resolve("bad").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("error: config mnist-mlp.json: training: epochs must be >= 1, got 0 (from --epochs 0)");
    CliRun t = cli("train", "--set", "training.batchSize=big");
    assertThat(t.code()).isEqualTo(2);
    assertThat(t.err()).contains("training.batchSize: expected an integer, got \"big\" (from --set training.batchSize=big)");
    CliRun m = cli("evaluate", "--model", tmp.resolve("none").toString());
    assertThat(m.code()).isNotZero();
    assertThat(m.err()).contains("none");
    assertThat(cli("frobnicate").code()).isEqualTo(2);
  }

  static void assertPng(Path p) throws IOException {
    byte[] b = Files.readAllBytes(p);
    assertThat(b.length).isGreaterThan(1000);
    assertThat(Arrays.copyOf(b, 8)).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    assertThat(javax.imageio.ImageIO.read(p.toFile())).isNotNull();
  }
}
