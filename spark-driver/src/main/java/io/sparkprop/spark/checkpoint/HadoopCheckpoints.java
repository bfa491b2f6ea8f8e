package io.sparkprop.spark.checkpoint;

import io.sparkprop.core.io.CannotWriteException;
import io.sparkprop.spark.fs.HadoopFiles;
import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes checkpoint files on any Hadoop file system ({@code hdfs://}, {@code file:},
 * object stores; a path without a scheme is resolved against {@code fs.defaultFS}), atomically
 * ({@link HadoopFiles}): a crash leaves the old or the new checkpoint, never a part of one.
 *
 * <p>The last {@code keep} checkpoints are kept: {@code PATH} is the newest, {@code PATH.1} the
 * one before, up to {@code PATH.<keep-1>}. A write first shifts the older ones by one name (each
 * an atomic rename), then writes {@code PATH}. {@link #readLatest} falls back to the newest
 * readable one when {@code PATH} is missing or corrupt (a crash during the write, a damaged
 * file), with a warning naming both.
 */
public final class HadoopCheckpoints {
  /** Checkpoints kept by default: the newest and the one before. */
  public static final int DEFAULT_KEEP = 2;
  /** Older checkpoints probed by {@link #readLatest} at most. */
  private static final int MAX_PROBED = 64;
  private static final Logger LOG = LoggerFactory.getLogger("sparkprop");

  private HadoopCheckpoints() {
  }

  /** Writes {@code c} to {@code path} atomically, keeping the previous one as {@code path.1}. */
  public static void write(Configuration conf, String path, Checkpoint c) {
    write(conf, path, c, DEFAULT_KEEP);
  }

  /**
   * Writes {@code c} to {@code path} atomically, keeping the {@code keep - 1} previous checkpoints
   * as {@code path.1}, {@code path.2}, ...
   *
   * @throws UncheckedIOException wrapping a {@link CannotWriteException} whose one-line message is
   *     {@code cannot write <path>: <reason>}
   */
  public static void write(Configuration conf, String path, Checkpoint c, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("checkpoints to keep must be >= 1, got " + keep);
    }
    boolean shifted = false;
    try {
      for (int i = keep - 1; i >= 1; i--) {
        shifted = HadoopFiles.rename(conf, older(path, i - 1), older(path, i));
      }
      HadoopFiles.write(conf, new Path(path), out -> CheckpointCodec.write(c, out));
    } catch (CannotWriteException e) {
      throw new UncheckedIOException(e.getMessage() + (shifted ? "; the previous checkpoint is now "
          + older(path, 1) : ""), e);
    }
  }

  /**
   * The checkpoint {@link #readLatest} found.
   *
   * @param checkpoint its content
   * @param path       the file it was read from
   * @param warning    null when it is the newest one, else the warning that was logged
   */
  public record Latest(Checkpoint checkpoint, String path, String warning) {
  }

  /** {@code path} for {@code i == 0}, else {@code path.i}. */
  public static Path older(String path, int i) {
    return i == 0 ? new Path(path) : new Path(path + "." + i);
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

  /**
   * Reads the newest readable checkpoint of {@code path}: {@code path} itself, or when it is
   * missing or corrupt the newest good one of {@code path.1}, {@code path.2}, ..., with a warning
   * that names the bad file and the one used.
   *
   * @throws UncheckedIOException with the first failure when none can be read
   */
  public static Latest readLatest(Configuration conf, String path) {
    UncheckedIOException first;
    try {
      return new Latest(read(conf, path), path, null);
    } catch (UncheckedIOException e) {
      first = e;
    }
    for (int i = 1; i <= MAX_PROBED; i++) {
      String candidate = older(path, i).toString();
      Checkpoint c;
      try {
        c = read(conf, candidate);
      } catch (UncheckedIOException e) {
        continue;
      }
      String warning = first.getMessage() + "; using the previous checkpoint " + candidate + " (after epoch "
          + c.state().completedEpochs() + ") instead";
      LOG.warn(warning);
      return new Latest(c, candidate, warning);
    }
    throw first;
  }
}
