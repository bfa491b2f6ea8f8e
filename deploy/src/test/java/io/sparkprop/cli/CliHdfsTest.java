package io.sparkprop.cli;

import static io.sparkprop.spark.HdfsTestSupport.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.MiniHdfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line program on a real HDFS (in-process MiniDFSCluster). */
@Tag("slow")
class CliHdfsTest {
  @TempDir
  static Path base;
  @MiniHdfs
  private static MiniDFSCluster cluster;
  @LocalSpark
  private static SparkSession spark;
  private static String hdfs;

  @BeforeAll
  static void start() {
    hdfs = cluster.getURI().toString();
  }

  /** The main job on HDFS: CSV read by the executors, predictions written there, a missing path in one line. */
  @Test
  void theCommandLineTrainsAndPredictsOnHdfs() throws Exception {
    StringBuilder b = new StringBuilder("a,b,label\n");
    for (int i = 0; i < 90; i++) {
      int c = i % 3;
      b.append(c * 2 + 0.1 * (i % 5)).append(',').append(-c + 0.05 * (i % 3)).append(',').append(c).append('\n');
    }
    put(cluster, "/cli/train.csv", b.toString().getBytes(StandardCharsets.UTF_8));
    String data = "{\"format\": \"csv\", \"header\": true, \"path\": \"" + hdfs + "/cli/train.csv\"}";
    Path cfg = base.resolve("hdfs-run.json");
    java.nio.file.Files.writeString(cfg, """
        {"name": "hdfs-run",
         "model": {"layers": [{"type": "dense", "units": 3}], "loss": {"type": "softmax_cross_entropy"}},
         "training": {"optimizer": {"type": "adam", "learningRate": 0.05}, "epochs": 10, "batchSize": 16},
         "data": {"train": %s, "test": %s}}
        """.formatted(data, data));
    Path run = base.resolve("hdfs-run");
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
        "train", "--config", cfg.toString(), "--progress", "none", "--output", run.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("test: loss ");
    String predictions = hdfs + "/cli/predictions";
    code = Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
        "predict", "--model", run.resolve("model").toString(), "--output", predictions, "--format", "parquet");
    assertThat(code).as(err.toString()).isZero();
    assertThat(spark.read().parquet(predictions).count()).isEqualTo(90);

    java.nio.file.Files.writeString(cfg, java.nio.file.Files.readString(cfg).replace("/cli/train.csv", "/cli/nope.csv"));
    java.io.StringWriter err2 = new java.io.StringWriter();
    code = Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err2, true),
        "train", "--config", cfg.toString(), "--progress", "none", "--output", base.resolve("nope").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err2.toString().strip()).isEqualTo("error: data.train: csv data " + hdfs + "/cli/nope.csv: no such file or folder");
    assertThat(base.resolve("nope")).doesNotExist();
  }
}
