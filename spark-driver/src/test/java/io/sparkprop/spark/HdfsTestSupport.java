package io.sparkprop.spark;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real in-process HDFS (MiniDFSCluster, one data node) for the tests of a class. */
public final class HdfsTestSupport {
  private HdfsTestSupport() {
  }

  /** Starts a cluster keeping its blocks under {@code base}; the caller shuts it down. */
  public static MiniDFSCluster start(Path base) throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(base.toFile(), "hdfs").getAbsolutePath());
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    return cluster;
  }

  /** Writes {@code content} to {@code path} on the cluster. */
  public static void put(MiniDFSCluster cluster, String path, byte[] content) throws IOException {
    FileSystem fs = cluster.getFileSystem();
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path))) {
      out.write(content);
    }
  }
}
