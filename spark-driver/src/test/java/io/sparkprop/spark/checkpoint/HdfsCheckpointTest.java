package io.sparkprop.spark.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic checkpoint writes on a real HDFS (in-process MiniDFSCluster). */
@Tag("slow")
class HdfsCheckpointTest {
  @TempDir
  static Path base;
  private static MiniDFSCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(base.toFile(), "hdfs").getAbsolutePath());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Test
  void overwritesAtomicallyAndLeavesNoTemporaryFile() throws Exception {
    Configuration conf = cluster.getConfiguration(0);
    String uri = cluster.getURI() + "/runs/a/checkpoint";
    Checkpoint first = CheckpointCodecTest.sample();
    HadoopCheckpoints.write(conf, uri, first);
    float[] p = first.params().clone();
    p[0] = 123f;
    HadoopCheckpoints.write(conf, uri, new Checkpoint(7, first.architectureJson(), p, first.state()));
    Checkpoint back = HadoopCheckpoints.read(conf, uri);
    assertThat(back.seed()).isEqualTo(7);
    assertThat(back.params()).containsExactly(p);
    FileSystem fs = cluster.getFileSystem();
    FileStatus[] files = fs.listStatus(new org.apache.hadoop.fs.Path("/runs/a"));
    assertThat(files).extracting(f -> f.getPath().getName()).containsExactly("checkpoint");
  }
}
