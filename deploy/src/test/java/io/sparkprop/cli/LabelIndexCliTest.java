package io.sparkprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.spark.LocalSpark;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels that are not the class indices {@code 0..k-1} are indexed in every format: numbers such
 * as LIBSVM's {@code -1/+1} or {@code 1..3} (libsvm, csv, json, parquet, and idx, whose labels
 * are numbers by format), and strings in Parquet as in csv and json ({@link StringLabelsCliTest}).
 * {@code predict} writes the original labels back.
 */
@Tag("slow") // six train and six predict runs: the full tier runs them, the quick tier leaves them out
class LabelIndexCliTest {
  @TempDir
  static Path dir;
  @LocalSpark
  static SparkSession spark;

  /** Trains a {@code k}-class softmax on {@code source}, checks the printed index and predict's labels. */
  static void check(String name, String source, int k, String printed, Set<String> labels) throws IOException {
    Path cfg = Files.writeString(dir.resolve(name + ".json"), """
        {"name": "%s",
         "model": {"layers": [{"type": "dense", "units": %d}], "loss": {"type": "softmax_cross_entropy"}},
         "training": {"optimizer": {"type": "adam", "learningRate": 0.01}, "epochs": 1, "batchSize": 8},
         "data": {"train": %s, "test": %s, "validationSplit": 0}}
        """.formatted(name, k, source, source));
    Path out = dir.resolve(name + "-run");
    CliRun t = CliRun.cli("train", "--config", cfg.toString(), "--progress", "none", "--output",
        out.toString());
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out()).contains(printed);
    CliRun p = CliRun.cli("predict", "--model", out.resolve("model").toString(), "-o", "-");
    assertThat(p.code()).as(p.err()).isZero();
    List<String> lines = p.out().lines().skip(1).toList();
    assertThat(lines).hasSize(30);
    assertThat(new TreeSet<>(lines.stream().map(l -> l.split(",")[1]).toList())).as(name).isEqualTo(labels);
    assertThat(lines).as(name).allMatch(l -> labels.contains(l.split(",")[0]));
  }

  static String source(String format, String path) {
    return "{\"format\": \"" + format + "\", \"path\": \"" + path + "\"}";
  }

  @Test
  void libsvmMinusOnePlusOne() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      b.append(i % 2 == 0 ? "-1" : "+1").append(" 1:").append(i * 0.1).append(" 2:").append(i % 2).append('\n');
    }
    Path f = Files.writeString(dir.resolve("pm.libsvm"), b.toString());
    check("libsvm", source("libsvm", f.toString()), 2, "labels indexed [-1.0, 1.0]", Set.of("-1", "1"));
  }

  @Test
  void csvAndJsonOneToThree() throws IOException {
    StringBuilder c = new StringBuilder("x1,x2,label\n");
    StringBuilder j = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      c.append(i * 0.1).append(',').append(i % 3).append(',').append(1 + i % 3).append('\n');
      j.append("{\"a\": ").append(i * 0.1).append(", \"b\": ").append(i % 3).append(", \"label\": ").append(10 * (1 + i % 3))
          .append("}\n");
    }
    Path csv = Files.writeString(dir.resolve("k.csv"), c.toString());
    check("csv", "{\"format\": \"csv\", \"path\": \"" + csv + "\", \"header\": true}", 3,
        "labels indexed [1.0, 2.0, 3.0]", Set.of("1", "2", "3"));
    Path json = Files.writeString(dir.resolve("k.jsonl"), j.toString());
    check("json", source("json", json.toString()), 3, "labels indexed [10.0, 20.0, 30.0]", Set.of("10", "20", "30"));
  }

  @Test
  void parquetNumbersAndStrings() throws IOException {
    String[] names = {"setosa", "versicolor", "virginica"};
    List<Row> num = new ArrayList<>();
    List<Row> str = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      num.add(RowFactory.create(i * 0.1, (double) (i % 3), 5 + 2 * (i % 3)));
      str.add(RowFactory.create(i * 0.1, (double) (i % 3), names[(i + 1) % 3]));
    }
    String pn = dir.resolve("n.parquet").toString();
    spark.createDataFrame(num, new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
        .add("label", DataTypes.IntegerType)).coalesce(1).write().parquet(pn);
    check("parquet-numbers", source("parquet", pn), 3, "labels indexed [5.0, 7.0, 9.0]", Set.of("5", "7", "9"));
    String ps = dir.resolve("s.parquet").toString();
    spark.createDataFrame(str, new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
        .add("label", DataTypes.StringType)).coalesce(1).write().parquet(ps);
    check("parquet-strings", source("parquet", ps), 3, "string labels indexed [setosa, versicolor, virginica]",
        Set.of(names));
  }

  @Test
  void idxLabelsAreNumbersByFormat() throws IOException {
    Path images = dir.resolve("img-idx3-ubyte");
    Path labels = dir.resolve("lab-idx1-ubyte");
    try (DataOutputStream x = new DataOutputStream(Files.newOutputStream(images));
         DataOutputStream y = new DataOutputStream(Files.newOutputStream(labels))) {
      x.writeInt(0x00000803);
      x.writeInt(30);
      x.writeInt(1);
      x.writeInt(2);
      y.writeInt(0x00000801);
      y.writeInt(30);
      for (int i = 0; i < 30; i++) {
        x.write(new byte[] {(byte) (8 * i), (byte) (100 * (i % 3))});
        y.write(1 + i % 3);
      }
    }
    check("idx", "{\"format\": \"idx\", \"images\": \"" + images + "\", \"labels\": \"" + labels + "\"}", 3,
        "labels indexed [1.0, 2.0, 3.0]", Set.of("1", "2", "3"));
  }
}
