package io.sparkprop.spark.fs;

import io.sparkprop.core.io.AtomicFiles;
import io.sparkprop.core.io.CannotWriteException;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Atomic writes and renames on any Hadoop file system. A file is never seen half-written under
 * its final name:
 * <ul>
 *   <li>on the local file system ({@code file:}) the write is core's {@link AtomicFiles} (temp
 *       file, fsync, one atomic rename). Hadoop's checksummed local file system would rename the
 *       file and then its {@code .crc} side file, two steps a crash can separate, leaving a file
 *       that fails its stale checksum; our formats carry their own CRC, so no {@code .crc} is
 *       written and a stale one is deleted before the rename;</li>
 *   <li>elsewhere (HDFS, object stores) the bytes go to a hidden temporary file in the same
 *       folder, {@code hsync}ed, closed and renamed over the target with
 *       {@code FileContext.rename(OVERWRITE)} (plain {@code FileSystem.rename} refuses an existing
 *       target on HDFS).</li>
 * </ul>
 * Every failure, including Hadoop's {@link FSError} (an {@link Error} the local file system throws
 * for a failed write, e.g. a full disk), becomes a {@link CannotWriteException}
 * ({@code cannot write <path>: <reason>}); the temporary file is removed and the target unchanged.
 */
public final class HadoopFiles {

  private HadoopFiles() {
  }

  /** Writes {@code dst} atomically with the bytes {@code body} produces; creates missing folders. */
  public static void write(Configuration conf, Path dst, AtomicFiles.StreamWriter body) throws CannotWriteException {
    Path target = dst;
    try {
      FileSystem fs = dst.getFileSystem(conf);
      target = fs.makeQualified(dst);
      if (isLocal(fs)) {
        java.nio.file.Path file = new File(target.toUri()).toPath();
        Files.createDirectories(file.getParent());
        deleteStaleCrc(file);
        AtomicFiles.write(body, file);
        return;
      }
      if (target.getParent() != null) {
        fs.mkdirs(target.getParent());
      }
      writeRemote(fs, conf, target, body);
    } catch (IOException | FSError e) {
      throw new CannotWriteException(target.toString(), e);
    }
  }

  /** Renames {@code from} over {@code to} (replacing it) in one atomic step; false when {@code from} does not exist. */
  public static boolean rename(Configuration conf, Path from, Path to) throws CannotWriteException {
    try {
      FileSystem fs = from.getFileSystem(conf);
      Path src = fs.makeQualified(from);
      Path dst = fs.makeQualified(to);
      if (!fs.exists(src)) {
        return false;
      }
      if (isLocal(fs)) {
        java.nio.file.Path s = new File(src.toUri()).toPath();
        java.nio.file.Path d = new File(dst.toUri()).toPath();
        deleteStaleCrc(d);
        Files.move(s, d, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        deleteStaleCrc(s);
      } else {
        FileContext.getFileContext(dst.toUri(), conf).rename(src, dst, Options.Rename.OVERWRITE);
      }
      return true;
    } catch (IOException | FSError e) {
      throw new CannotWriteException(to.toString(), e);
    }
  }

  private static boolean isLocal(FileSystem fs) {
    return "file".equals(fs.getUri().getScheme());
  }

  /** Deletes Hadoop's {@code .name.crc} beside {@code file}, which would no longer match it. */
  private static void deleteStaleCrc(java.nio.file.Path file) throws IOException {
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
  }

  private static void writeRemote(FileSystem fs, Configuration conf, Path dst, AtomicFiles.StreamWriter body)
      throws IOException {
    Path tmp = new Path(dst.getParent(), "." + dst.getName() + "." + UUID.randomUUID() + ".tmp");
    boolean done = false;
    try {
      // Not try-with-resources: an HDFS stream that failed (e.g. a quota) throws the same exception
      // again from close(), and adding an exception to itself as suppressed is an IllegalArgumentException.
      FSDataOutputStream raw = fs.create(tmp, false);
      try {
        BufferedOutputStream out = new BufferedOutputStream(raw, 1 << 16);
        body.writeTo(out);
        out.flush();
        raw.hsync();
      } catch (IOException | RuntimeException | Error e) {
        try {
          raw.close();
        } catch (IOException | RuntimeException again) {
          if (again != e) {
            e.addSuppressed(again);
          }
        }
        throw e;
      }
      raw.close();
      FileContext.getFileContext(dst.toUri(), conf).rename(tmp, dst, Options.Rename.OVERWRITE);
      done = true;
    } finally {
      if (!done) {
        try {
          fs.delete(tmp, false);
        } catch (IOException ignored) {
          // the write already failed; a stray hidden temporary file is harmless
        }
      }
    }
  }
}
