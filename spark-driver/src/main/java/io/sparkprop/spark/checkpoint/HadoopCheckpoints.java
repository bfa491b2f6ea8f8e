package io.sparkprop.spark.checkpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Reads and writes checkpoint files on any Hadoop file system ({@code hdfs://}, {@code file:},
 * object stores; a path without a scheme is resolved against {@code fs.defaultFS}). A write never
 * leaves a half-written file under the final name: the bytes go to a hidden temporary file in
 * the same folder, which is {@code hsync}ed, closed and renamed over the target with
 * {@code FileContext.rename(tmp, dst, OVERWRITE)} (plain {@code FileSystem.rename} refuses an
 * existing target on HDFS). A crash leaves either the old or the new checkpoint.
 */
public final class HadoopCheckpoints {

  private HadoopCheckpoints() {
  }

  /** Writes {@code c} to {@code path} atomically. */
  public static void write(Configuration conf, String path, Checkpoint c) {
    Path dst = new Path(path);
    Path tmp = null;
    FileSystem fs = null;
    try {
      fs = dst.getFileSystem(conf);
      dst = fs.makeQualified(dst);
      if (dst.getParent() != null) {
        fs.mkdirs(dst.getParent());
      }
      tmp = new Path(dst.getParent(), "." + dst.getName() + "." + UUID.randomUUID() + ".tmp");
      try (FSDataOutputStream raw = fs.create(tmp, false)) {
        BufferedOutputStream out = new BufferedOutputStream(raw, 1 << 16);
        CheckpointCodec.write(c, out);
        out.flush();
        raw.hsync();
      }
      FileContext.getFileContext(dst.toUri(), conf).rename(tmp, dst, Options.Rename.OVERWRITE);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + path + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          fs.delete(tmp, false);
        } catch (IOException ignored) {
          // the write already failed; a stray hidden temp file is harmless
        }
      }
    }
  }

  /**
   * Reads the checkpoint at {@code path}.
   *
   * @throws UncheckedIOException when it does not exist, cannot be read or is not a valid
   *     checkpoint
   */
  public static Checkpoint read(Configuration conf, String path) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(conf);
      try (FSDataInputStream in = fs.open(p)) {
        return CheckpointCodec.read(new BufferedInputStream(in, 1 << 16), path);
      }
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException("checkpoint " + path + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + path + ": " + e.getMessage(), e);
    }
  }
}
