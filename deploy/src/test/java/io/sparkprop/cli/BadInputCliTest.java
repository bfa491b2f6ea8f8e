package io.sparkprop.cli;

import static io.sparkprop.cli.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of bad input ({@link BadInputCases}, one row per case): each command stops with its
 * documented exit code and one {@code error:} line holding the expected fragment, prints no stack
 * trace, and (for runs) leaves no output folder behind. Then the behaviours behind some rows:
 * replacing a run with {@code --overwrite}, a stale lock, {@code evaluate --split train}, a
 * diverged loss, and {@code --resume} checks. Also a small CSV run that works, with
 * standardisation and label indexing carried into evaluate and predict.
 */
class BadInputCliTest {
  @TempDir
  static Path dir;
  @LocalSpark
  static SparkSession spark;

  static String file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p.toString();
  }

  /** A 3-class model on 2 features, trained 1 epoch on {@code train} (a data source JSON object). */
  static String config(String name, String train, String extra) throws IOException {
    return file(name + ".json", """
        {"name": "%s",
         "model": {"layers": [{"type": "dense", "units": 3}], "loss": {"type": "softmax_cross_entropy"}},
         "training": {"optimizer": {"type": "sgd", "learningRate": 0.1}, "epochs": 1, "batchSize": 4},
         "data": {"train": %s%s}}
        """.formatted(name, train, extra));
  }

  static String csv(String path) {
    return BadInputCases.csv(path);
  }

  static Stream<BadInputCases.Case> cases() throws IOException {
    return BadInputCases.all(Files.createDirectories(dir.resolve("corpus"))).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputStopsWithOneLine(BadInputCases.Case c) {
    CliRun r;
    try (SparkLogCapture log = SparkLogCapture.capture()) {
      r = cli(c.args().toArray(String[]::new));
      assertThat(log.lines()).as("Spark's log").noneMatch(l -> l.contains("\tat "));
    }
    assertThat(r.code()).as(r.err()).isEqualTo(c.code());
    assertThat(r.err()).startsWith("error: ").contains(c.fragment()).doesNotContain("\tat ", "Exception");
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    if (c.outputRemoved()) {
      assertThat(Path.of(c.args().get(c.args().indexOf("--output") + 1))).doesNotExist();
    }
  }

  static final String GOOD = BadInputCases.GOOD;

  @Test
  void overwriteReplacesTheRunWhole() throws IOException {
    Path run = Files.createDirectories(dir.resolve("replaced"));
    Files.writeString(run.resolve("config.json"), "{}");
    Files.writeString(run.resolve("confusion-matrix.txt"), "stale");
    Files.writeString(run.resolve("checkpoint.1"), "stale");
    String cfg = config("replace", csv(file("replace.csv", GOOD)), "");
    CliRun r = cli("train", "--config", cfg, "--progress", "none", "--output", run.toString(), "--overwrite");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("replacing the run in " + run + " (--overwrite)");
    assertThat(run.resolve("model/model.json")).isRegularFile();
    assertThat(run.resolve("config.json")).content().contains("replace.csv");
    try (Stream<Path> s = Files.list(run)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("config.json", "model",
          "history.csv", "history.json", "training.png", "metrics.json");
    }
  }

  @Test
  void aFailedOverwriteGivesTheOldRunBack() throws IOException {
    Path run = Files.createDirectories(dir.resolve("kept"));
    Files.writeString(run.resolve("config.json"), "{\"old\": true}");
    String cfg = config("kept", csv(file("kept.csv", "x1,x2,label\n1,x,0\n")), "");
    CliRun r = cli("train", "--config", cfg, "--progress", "none", "--output", run.toString(), "--overwrite");
    assertThat(r.code()).isEqualTo(2);
    assertThat(run.resolve("config.json")).content().isEqualTo("{\"old\": true}");
    try (Stream<Path> s = Files.list(run)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("config.json");
    }
  }

  @Test
  void aStaleLockIsTakenOver() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path run = Files.createDirectories(dir.resolve("stale"));
    Files.writeString(run.resolve(OutputFolder.LOCK), gone.pid() + "@"
        + java.net.InetAddress.getLocalHost().getHostName() + " 2026-01-01T00:00:00Z");
    CliRun r = cli("train", "--config", config("stale", csv(file("stale.csv", GOOD)), ""), "--progress", "none",
        "--output", run.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("warning: taking over the stale lock " + run.resolve(OutputFolder.LOCK));
    assertThat(run.resolve(OutputFolder.LOCK)).doesNotExist();
    assertThat(run.resolve("model/params.bin")).isRegularFile();
  }

  @Test
  void evaluateOnTheTrainingSplitKeepsTheTestReport() throws IOException {
    String data = file("split.csv", GOOD);
    Path run = dir.resolve("split-run");
    CliRun r = cli("train", "--config", config("split", csv(data), ", \"test\": " + csv(data)), "--progress",
        "none", "--output", run.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String report = Files.readString(run.resolve("confusion-matrix.txt"));
    Files.writeString(run.resolve("confusion-matrix.txt"), report + "marker");
    CliRun e = cli("evaluate", "--model", run.resolve("model").toString(), "--split", "train");
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.out()).contains("evaluation-train.json, confusion-matrix-train.txt");
    assertThat(run.resolve("evaluation-train.json")).content().contains("\"train_loss\"");
    assertThat(run.resolve("confusion-matrix-train.txt")).isRegularFile();
    assertThat(run.resolve("confusion-matrix.txt")).content().endsWith("marker");
    assertThat(run.resolve("evaluation.json")).doesNotExist();
  }

  /** y = x1 + x2 with a linear model and a step size 3x too large: the loss grows every epoch, finitely. */
  @Test
  void aDivergedLossEndsWithAWarningAndExitCode1() throws IOException {
    String data = file("grow.csv", "x1,x2,y\n1,2,3\n3,4,7\n5,6,11\n2,2,4\n4,1,5\n6,3,9\n");
    String cfg = file("grow.json", """
        {"name": "grow", "model": {"layers": [{"type": "dense", "units": 1}], "loss": {"type": "mean_squared_error"}},
         "training": {"optimizer": {"type": "sgd", "learningRate": 0.1}, "epochs": 6, "batchSize": 3},
         "data": {"train": {"format": "csv", "path": "%s", "header": true, "label": "y"}}}
        """.formatted(data));
    Path run = dir.resolve("grow-run");
    CliRun r = cli("train", "--config", cfg, "--progress", "none", "--output", run.toString());
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith("warning: the loss diverged: ").contains("pass --allow-divergence")
        .doesNotContain("\tat ");
    assertThat(run.resolve("model/params.bin")).as("the model is saved all the same").isRegularFile();
    CliRun allowed = cli("train", "--config", cfg, "--progress", "none", "--output", run.toString(), "--overwrite",
        "--allow-divergence");
    assertThat(allowed.code()).as(allowed.err()).isZero();
    assertThat(allowed.err()).contains("(accepted: --allow-divergence)");
  }

  @Test
  void resumeRefusesAnotherRun() throws IOException {
    String cfg = config("ck", csv(file("ck.csv", GOOD)), "");
    Path first = dir.resolve("ck-run");
    CliRun a = cli("train", "--config", cfg, "--progress", "none", "--set", "checkpoint.everyEpochs=1", "--output",
        first.toString());
    assertThat(a.code()).as(a.err()).isZero();
    String ck = first.resolve("checkpoint").toString();
    CliRun seed = cli("train", "--config", cfg, "--progress", "none", "--epochs", "2", "--seed", "9", "--resume", ck,
        "--output", dir.resolve("ck-seed").toString());
    assertThat(seed.code()).isEqualTo(2);
    assertThat(seed.err()).contains("the interrupted run had training.seed").doesNotContain("\tat ");
    CliRun adam = cli("train", "--config", cfg, "--progress", "none", "--epochs", "2", "--set",
        "training.optimizer.type=adam", "--resume", ck, "--output", dir.resolve("ck-adam").toString());
    assertThat(adam.code()).isEqualTo(2);
    assertThat(adam.err()).contains("optimizer").doesNotContain("\tat ");
    CliRun wider = cli("train", "--config", cfg, "--progress", "none", "--epochs", "2", "--set",
        "model.layers=[{\"type\":\"dense\",\"units\":4},{\"type\":\"dense\",\"units\":3}]", "--resume", ck,
        "--output", dir.resolve("ck-arch").toString());
    assertThat(wider.code()).isEqualTo(2);
    assertThat(wider.err()).contains("the checkpoint holds another model (9 parameters").doesNotContain("\tat ");
    CliRun fewer = cli("train", "--config", cfg, "--progress", "none", "--epochs", "2", "--limit", "4", "--batch-size",
        "2", "--resume", ck, "--output", dir.resolve("ck-limit").toString());
    assertThat(fewer.code()).isEqualTo(2);
    assertThat(fewer.err()).contains("this would be a different run", "training.batchSize 4 then, 2 now",
        "data.limit 0 then, 4 now", "training rows 6 then, 4 now", "pass --force");
    CliRun forced = cli("train", "--config", cfg, "--progress", "none", "--epochs", "2", "--limit", "4", "--batch-size",
        "2", "--resume", ck, "--output", dir.resolve("ck-forced").toString(), "--force");
    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(forced.out()).contains("epoch 2/2 - loss ");
  }

  @Test
  void standardizationAndLabelIndexTravelWithTheModel() throws IOException {
    StringBuilder b = new StringBuilder("a,b,label\n");
    for (int i = 0; i < 60; i++) {
      int c = i % 3;
      b.append(1000 + c * 50 + i % 7).append(',').append(0.001 * c).append(',').append(10 * (c + 1)).append('\n');
    }
    String data = file("scaled.csv", b.toString());
    String cfg = config("scaled", csv(data), ", \"test\": " + csv(data) + ", \"standardize\": true");
    Path out = dir.resolve("scaled-run");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), "train", "--config", cfg,
        "--progress", "none", "--epochs", "20", "--output", out.toString());
    assertThat(code).as(e.toString()).isZero();
    assertThat(o.toString()).contains("features standardized", "labels indexed [10.0, 20.0, 30.0]");
    assertThat(out.resolve("model/preprocessing.json")).isRegularFile();
    StringWriter p = new StringWriter();
    int pc = Main.run(new PrintWriter(p, true), new PrintWriter(e, true), "predict", "--model",
        out.resolve("model").toString(), "-o", "-");
    assertThat(pc).as(e.toString()).isZero();
    var lines = p.toString().lines().toList();
    assertThat(lines.get(0)).isEqualTo("predicted,label,p_0,p_1,p_2");
    long right = lines.stream().skip(1).filter(l -> l.split(",")[0].equals(l.split(",")[1])).count();
    assertThat(lines.stream().skip(1).map(l -> l.split(",")[1])).containsOnly("10", "20", "30");
    assertThat(right).as(p.toString()).isGreaterThan(50);
  }
}
