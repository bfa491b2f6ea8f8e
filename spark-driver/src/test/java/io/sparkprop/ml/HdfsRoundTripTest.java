package io.sparkprop.ml;

import static io.sparkprop.spark.HdfsTestSupport.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.io.IdxReader;
import io.sparkprop.ml.data.DataSources;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.MiniHdfs;
import io.sparkprop.spark.checkpoint.Checkpoint;
import io.sparkprop.spark.checkpoint.HadoopCheckpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real HDFS (in-process MiniDFSCluster): training data read from {@code hdfs://}, checkpoints
 * and saved models written there and loaded back with the same predictions.
 */
@Tag("slow")
class HdfsRoundTripTest {
  @MiniHdfs
  private static MiniDFSCluster cluster;
  @LocalSpark
  private static SparkSession spark;
  private static String hdfs;

  @BeforeAll
  static void start() {
    hdfs = cluster.getURI().toString();
  }

  @Test
  void trainsFromHdfsCsvCheckpointsAndSavesThere() throws Exception {
    StringBuilder csv = new StringBuilder("x1,x2,x3,x4,label\n");
    for (Row r : IrisLike.vectors(spark, 180, 4).collectAsList()) {
      double[] v = ((Vector) r.get(0)).toArray();
      csv.append(v[0]).append(',').append(v[1]).append(',').append(v[2]).append(',').append(v[3]).append(',')
          .append((int) r.getDouble(1)).append('\n');
    }
    put(cluster, "/data/iris.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
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

  /** Issue 16: a model save that hits a full quota or a folder it may not write says so in one line. */
  @Test
  void aFailedModelSaveSaysCannotWriteWhichFileAndWhy() throws Exception {
    Configuration conf = cluster.getConfiguration(0);
    io.sparkprop.core.model.Model network = io.sparkprop.core.model.Model.init(
        io.sparkprop.core.model.Sequential.of(io.sparkprop.core.tensor.Shape.of(4),
            new io.sparkprop.core.layer.Dense(64), new io.sparkprop.core.layer.Dense(3)),
        new io.sparkprop.core.loss.SoftmaxCrossEntropy(), 1);
    org.apache.hadoop.fs.Path full = new org.apache.hadoop.fs.Path("/models/full");
    cluster.getFileSystem().mkdirs(full);
    cluster.getFileSystem().setQuota(full, org.apache.hadoop.hdfs.protocol.HdfsConstants.QUOTA_DONT_SET, 512);
    assertThatThrownBy(() -> ModelFiles.save(network, null, null, hdfs + "/models/full", conf))
        .isInstanceOf(io.sparkprop.core.io.CannotWriteException.class)
        .hasMessageStartingWith("cannot write " + hdfs + "/models/full/data/params.bin: no space left (quota exceeded: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(cluster.getFileSystem().listStatus(new org.apache.hadoop.fs.Path("/models/full/data")))
        .as("no temporary file is left").isEmpty();

    cluster.getFileSystem().mkdirs(new org.apache.hadoop.fs.Path("/models/locked"));
    org.apache.hadoop.security.UserGroupInformation.createUserForTesting("bob", new String[] {"users"})
        .doAs((java.security.PrivilegedExceptionAction<Void>) () -> {
          assertThatThrownBy(() -> ModelFiles.save(network, null, null, hdfs + "/models/locked", conf))
              .isInstanceOf(io.sparkprop.core.io.CannotWriteException.class)
              .hasMessageStartingWith("cannot write " + hdfs + "/models/locked/data/params.bin: permission denied");
          return null;
        });
  }

  @Test
  void readsIdxLibsvmAndParquetFromHdfs() throws Exception {
    Path mnist = IdxReader.findUp(Path.of("").toAbsolutePath(), IdxReader.MNIST_SAMPLE);
    put(cluster, "/mnist/images.gz", java.nio.file.Files.readAllBytes(mnist.resolve("test-images-idx3-ubyte.gz")));
    put(cluster, "/mnist/labels.gz", java.nio.file.Files.readAllBytes(mnist.resolve("test-labels-idx1-ubyte.gz")));
    Dataset<Row> digits = DataSources.load(spark, "idx", hdfs + "/mnist/images.gz",
        Map.of("labels", hdfs + "/mnist/labels.gz", "numClasses", "10", "numFeatures", "784"));
    assertThat(digits.count()).isEqualTo(2000);
    assertThat(((Vector) digits.first().get(0)).size()).isEqualTo(784);

    put(cluster, "/data/a.libsvm", "2 1:0.5 784:1\n7 3:0.25\n".getBytes(StandardCharsets.UTF_8));
    Dataset<Row> sparse = DataSources.load(spark, "libsvm", hdfs + "/data/a.libsvm", Map.of("numFeatures", "784"));
    assertThat(sparse.select("label").collectAsList()).extracting(r -> r.getDouble(0)).containsExactly(2.0, 7.0);

    String parquet = hdfs + "/data/digits.parquet";
    digits.limit(50).write().parquet(parquet);
    assertThat(DataSources.load(spark, "parquet", parquet, Map.of("numClasses", "10")).count()).isEqualTo(50);
  }
}
