package io.sparkprop.spark.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.spark.MiniHdfs;
import java.io.UncheckedIOException;
import java.security.PrivilegedExceptionAction;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.protocol.HdfsConstants;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Atomic checkpoint writes on a real HDFS (in-process MiniDFSCluster). */
@Tag("slow")
class HdfsCheckpointTest {
  @MiniHdfs
  private static MiniDFSCluster cluster;

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
    assertThat(files).extracting(f -> f.getPath().getName())
        .containsExactlyInAnyOrder("checkpoint", "checkpoint.1");
    assertThat(HadoopCheckpoints.read(conf, uri + ".1").seed()).isEqualTo(first.seed());
  }

  /** A real HDFS space quota: the write fails as "no space", in one line, and the previous checkpoint is kept. */
  @Test
  void aFullQuotaIsReportedInOneLine() throws Exception {
    Configuration conf = cluster.getConfiguration(0);
    DistributedFileSystem fs = cluster.getFileSystem();
    org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path("/runs/full");
    fs.mkdirs(folder);
    String uri = cluster.getURI() + "/runs/full/checkpoint";
    HadoopCheckpoints.write(conf, uri, CheckpointCodecTest.sample());
    fs.setQuota(folder, HdfsConstants.QUOTA_DONT_SET, 1024);
    assertThatThrownBy(() -> HadoopCheckpoints.write(conf, uri, CheckpointCodecTest.sample()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("cannot write " + uri + ": no space left (quota exceeded: ")
        .hasMessageEndingWith("; the previous checkpoint is now " + uri + ".1")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(HadoopCheckpoints.readLatest(conf, uri).checkpoint().seed()).isEqualTo(42);
  }

  @Test
  void permissionDeniedIsReportedInOneLine() throws Exception {
    Configuration conf = cluster.getConfiguration(0);
    DistributedFileSystem fs = cluster.getFileSystem();
    fs.mkdirs(new org.apache.hadoop.fs.Path("/runs/locked"), new FsPermission((short) 0755));
    String uri = cluster.getURI() + "/runs/locked/checkpoint";
    UserGroupInformation alice = UserGroupInformation.createUserForTesting("alice", new String[] {"users"});
    alice.doAs((PrivilegedExceptionAction<Void>) () -> {
      assertThatThrownBy(() -> HadoopCheckpoints.write(conf, uri, CheckpointCodecTest.sample()))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageStartingWith("cannot write " + uri + ": permission denied (Permission denied: user=alice")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      return null;
    });
  }
}
