package io.sparkprop.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.io.IdxReader;
import io.sparkprop.ml.data.DataSources;
import io.sparkprop.spark.SparkTestSupport;
import io.sparkprop.spark.checkpoint.Checkpoint;
import io.sparkprop.spark.checkpoint.HadoopCheckpoints;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real HDFS (in-process MiniDFSCluster): training data read from {@code hdfs://}, checkpoints
 * and saved models written there and loaded back with the same predictions.
 */
class HdfsRoundTripTest {
  @TempDir
  static Path base;
  private static MiniDFSCluster cluster;
  private static SparkSession spark;
  private static String hdfs;

  @BeforeAll
  static void start() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(base.toFile(), "hdfs").getAbsolutePath());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    hdfs = cluster.getURI().toString();
    spark = SparkTestSupport.session("HdfsRoundTripTest");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  private static void put(String path, byte[] content) throws Exception {
    FileSystem fs = cluster.getFileSystem();
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path))) {
      out.write(content);
    }
  }

  @Test
  void trainsFromHdfsCsvCheckpointsAndSavesThere() throws Exception {
    StringBuilder csv = new StringBuilder("x1,x2,x3,x4,label\n");
    for (Row r : IrisLike.vectors(spark, 180, 4).collectAsList()) {
      double[] v = ((Vector) r.get(0)).toArray();
      csv.append(v[0]).append(',').append(v[1]).append(',').append(v[2]).append(',').append(v[3]).append(',')
          .append((int) r.getDouble(1)).append('\n');
    }
    put("/data/iris.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
    Dataset<Row> data = DataSources.load(spark, "csv", hdfs + "/data/iris.csv",
        Map.of("header", "true", "numClasses", "3"));
    assertThat(data.count()).isEqualTo(180);

    String checkpoint = hdfs + "/runs/iris/checkpoint";
    NeuralNetClassifier nn = new NeuralNetClassifier().setLayers(new int[] {4, 8, 3}).setMaxIter(4)
        .setBlockSize(60).setStepSize(0.05).setCheckpointPath(checkpoint).setCheckpointInterval(2);
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {
        new StandardScaler().setInputCol("features").setOutputCol("scaled"), nn.setFeaturesCol("scaled")})
        .fit(data);
    NeuralNetClassificationModel net = (NeuralNetClassificationModel) model.stages()[1];
    Checkpoint c = HadoopCheckpoints.read(spark.sparkContext().hadoopConfiguration(), checkpoint);
    assertThat(c.state().completedEpochs()).isEqualTo(4);
    assertThat(c.params()).containsExactly(net.network().params());

    String saved = hdfs + "/models/iris";
    model.save(saved);
    assertThat(cluster.getFileSystem().exists(new org.apache.hadoop.fs.Path("/models/iris/stages"))).isTrue();
    PipelineModel back = PipelineModel.load(saved);
    List<Row> expected = model.transform(data).select("probability", "prediction").collectAsList();
    assertThat(back.transform(data).select("probability", "prediction").collectAsList()).isEqualTo(expected);
    assertThat(((NeuralNetClassificationModel) back.stages()[1]).summary().objectiveHistory())
        .containsExactly(net.summary().objectiveHistory());
  }

  @Test
  void readsIdxLibsvmAndParquetFromHdfs() throws Exception {
    Path mnist = IdxReader.findUp(Path.of("").toAbsolutePath(), IdxReader.MNIST_SAMPLE);
    put("/mnist/images.gz", java.nio.file.Files.readAllBytes(mnist.resolve("test-images-idx3-ubyte.gz")));
    put("/mnist/labels.gz", java.nio.file.Files.readAllBytes(mnist.resolve("test-labels-idx1-ubyte.gz")));
    Dataset<Row> digits = DataSources.load(spark, "idx", hdfs + "/mnist/images.gz",
        Map.of("labels", hdfs + "/mnist/labels.gz", "numClasses", "10", "numFeatures", "784"));
    assertThat(digits.count()).isEqualTo(2000);
    assertThat(((Vector) digits.first().get(0)).size()).isEqualTo(784);

    put("/data/a.libsvm", "2 1:0.5 784:1\n7 3:0.25\n".getBytes(StandardCharsets.UTF_8));
    Dataset<Row> sparse = DataSources.load(spark, "libsvm", hdfs + "/data/a.libsvm", Map.of("numFeatures", "784"));
    assertThat(sparse.select("label").collectAsList()).extracting(r -> r.getDouble(0)).containsExactly(2.0, 7.0);

    String parquet = hdfs + "/data/digits.parquet";
    digits.limit(50).write().parquet(parquet);
    assertThat(DataSources.load(spark, "parquet", parquet, Map.of("numClasses", "10")).count()).isEqualTo(50);
  }
  /** The main job on HDFS: CSV read by the executors, predictions written there, a missing path in one line. */
  @Test
  void theCommandLineTrainsAndPredictsOnHdfs() throws Exception {
    StringBuilder b = new StringBuilder("a,b,label\n");
    for (int i = 0; i < 90; i++) {
      int c = i % 3;
      b.append(c * 2 + 0.1 * (i % 5)).append(',').append(-c + 0.05 * (i % 3)).append(',').append(c).append('\n');
    }
    put("/cli/train.csv", b.toString().getBytes(StandardCharsets.UTF_8));
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
    int code = io.sparkprop.cli.Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
        "train", "--config", cfg.toString(), "--progress", "none", "--output", run.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("test: loss ");
    String predictions = hdfs + "/cli/predictions";
    code = io.sparkprop.cli.Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
        "predict", "--model", run.resolve("model").toString(), "--output", predictions, "--format", "parquet");
    assertThat(code).as(err.toString()).isZero();
    assertThat(spark.read().parquet(predictions).count()).isEqualTo(90);

    java.nio.file.Files.writeString(cfg, java.nio.file.Files.readString(cfg).replace("/cli/train.csv", "/cli/nope.csv"));
    java.io.StringWriter err2 = new java.io.StringWriter();
    code = io.sparkprop.cli.Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err2, true),
        "train", "--config", cfg.toString(), "--progress", "none", "--output", base.resolve("nope").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err2.toString().strip()).isEqualTo("error: data.train: csv data " + hdfs + "/cli/nope.csv: no such file or folder");
    assertThat(base.resolve("nope")).doesNotExist();
  }
}
