package io.sparkprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.spark.SparkTestSupport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code train} on bad data, one case per row: the program stops before training with exit code
 * 2 and one line naming the file, line/row or column and what is wrong; no stack trace, and the
 * output folder it would have written is not there. Also a small CSV run that works, with
 * standardisation and label indexing carried into evaluate and predict.
 */
class BadInputCliTest {
  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.session("BadInputCliTest");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

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
    return "{\"format\": \"csv\", \"path\": \"" + path + "\", \"header\": true}";
  }

  static Stream<Arguments> cases() throws IOException {
    String good = "x1,x2,label\n1,2,0\n3,4,1\n5,6,2\n";
    String badLabelName = "{\"format\": \"csv\", \"path\": \"" + file("ok.csv", good) + "\", \"header\": true, "
        + "\"label\": \"lable\"}";
    return Stream.of(
        Arguments.of("misspelled column", badLabelName, "",
            "ok.csv: there is no column 'lable'; the header names [x1, x2, label]"),
        Arguments.of("unknown feature", csv(file("ok2.csv", good)), ", \"features\": [\"x1\", \"x3\"]",
            "ok2.csv: there is no column 'x3'; the header names [x1, x2, label]"),
        Arguments.of("suffixed number", csv(file("d.csv", "x1,x2,label\n1,2,0\n5d,4,1\n")), "",
            "d.csv, line 3, column 'x1': '5d' is not a number"),
        Arguments.of("hex number", csv(file("hex.csv", "x1,x2,label\n1,0x1p3,0\n")), "",
            "hex.csv, line 2, column 'x2': '0x1p3' is not a number"),
        Arguments.of("NaN", csv(file("nan.csv", "x1,x2,label\n1,2,0\n1,NaN,1\n")), "",
            "nan.csv, line 3, column 'x2': 'NaN' is not a finite number"),
        Arguments.of("infinite", csv(file("inf.csv", "x1,x2,label\n1,2,0\n1,1e999,1\n")), "",
            "inf.csv, line 3, column 'x2': '1e999' is not a finite number"),
        Arguments.of("wrong feature count", csv(file("ragged.csv", "x1,x2,label\n1,2,0\n1,1\n")), "",
            "ragged.csv, line 3: found 2 columns, expected 3 (as the first line of the first file)"),
        Arguments.of("empty file", csv(file("empty.csv", "")), "", "empty.csv: the file is empty"),
        Arguments.of("empty folder", csv(Files.createDirectories(dir.resolve("nothing")).toString()), "",
            "nothing/: the folder holds no data file"),
        Arguments.of("missing local file", csv(dir.resolve("absent.csv").toString()), "",
            "data.train.path: file not found: " + dir.resolve("absent.csv")),
        Arguments.of("missing file behind a URI", csv(dir.resolve("gone.csv").toUri().toString()), "",
            "gone.csv: no such file or folder"),
        Arguments.of("test label outside the classes", csv(file("t.csv", good)),
            ", \"test\": " + csv(file("t-test.csv", "x1,x2,label\n1,2,0\n1,2,7\n")),
            "t-test.csv, line 3, column 'label': label 7.0 is not an integer class in [0, 3)"),
        Arguments.of("too many labels", csv(file("many.csv", good + "1,1,3\n1,1,4\n")), "",
            "error: data.train: more than 3 distinct labels (e.g. ["),
        Arguments.of("libsvm 0-based index", "{\"format\": \"libsvm\", \"path\": \""
            + file("zero.libsvm", "0 1:1 2:1\n1 0:1\n") + "\"}", "", "zero.libsvm, line 2: index 0 (indices are 1-based)"),
        Arguments.of("libsvm unsorted", "{\"format\": \"libsvm\", \"path\": \""
            + file("order.libsvm", "0 2:1 1:1\n") + "\"}", "",
            "order.libsvm, line 1: index 1 after 2 (indices must be in ascending order)"),
        Arguments.of("libsvm duplicate", "{\"format\": \"libsvm\", \"path\": \""
            + file("dup.libsvm", "0 1:1\n1 2:1 2:3\n") + "\"}", "", "dup.libsvm, line 2: index 2 appears twice"),
        Arguments.of("libsvm past numFeatures", "{\"format\": \"libsvm\", \"numFeatures\": 2, \"path\": \""
            + file("past.libsvm", "0 1:1\n1 3:1\n") + "\"}", "", "past.libsvm, line 2: index 3 is past numFeatures 2"),
        Arguments.of("json missing key", "{\"format\": \"json\", \"path\": \""
            + file("rows.jsonl", "{\"a\": 1, \"b\": 2, \"label\": 0}\n{\"a\": 1, \"label\": 1}\n") + "\"}", "",
            "rows.jsonl, line 2, key 'b': missing"),
        Arguments.of("features by name on libsvm", "{\"format\": \"libsvm\", \"path\": \""
            + file("names.libsvm", "0 1:1\n") + "\"}", ", \"features\": [\"a\"]",
            "data.features: libsvm data (data.train) has no column names"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badDataStopsWithOneLine(String name, String train, String extra, String expected) throws IOException {
    String cfg = config("c" + Math.abs(name.hashCode()), train, extra);
    Path out = dir.resolve("out-" + Math.abs(name.hashCode()));
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), "train", "--config", cfg,
        "--progress", "none", "--output", out.toString());
    assertThat(code).as(e.toString()).isEqualTo(2);
    assertThat(e.toString()).startsWith("error: ").contains(expected).doesNotContain("\tat ", "Exception");
    assertThat(e.toString().strip().lines()).hasSize(1);
    assertThat(out).doesNotExist();
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
