package io.sparkprop.spark.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 on the local file system: the last k checkpoints, the fallback, no Hadoop .crc side files. */
class CheckpointKeepTest {
  private final Configuration conf = new Configuration();
  @TempDir
  Path dir;

  private static Checkpoint withSeed(long seed) {
    Checkpoint c = CheckpointCodecTest.sample();
    return new Checkpoint(seed, c.architectureJson(), c.params(), c.state());
  }

  private String[] names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  void keepsTheLastTwoByDefaultAndNoCrcSideFiles() throws IOException {
    String path = dir.resolve("checkpoint").toString();
    for (long seed = 1; seed <= 3; seed++) {
      HadoopCheckpoints.write(conf, path, withSeed(seed));
    }
    assertThat(names()).containsExactly("checkpoint", "checkpoint.1");
    assertThat(HadoopCheckpoints.read(conf, path).seed()).isEqualTo(3);
    assertThat(HadoopCheckpoints.read(conf, path + ".1").seed()).isEqualTo(2);
    for (long seed = 4; seed <= 6; seed++) {
      HadoopCheckpoints.write(conf, path, withSeed(seed), 3);
    }
    assertThat(names()).containsExactly("checkpoint", "checkpoint.1", "checkpoint.2");
    assertThat(HadoopCheckpoints.read(conf, path + ".2").seed()).isEqualTo(4);
  }

  /**
   * Hadoop's checksummed local file system renames a file and then its .crc: a crash between the two
   * leaves a checkpoint that fails its stale checksum. Writes no longer make .crc files, and delete a
   * stale one left by an older build.
   */
  @Test
  void aStaleCrcSideFileCannotBreakTheNextRead() throws IOException {
    String path = dir.resolve("checkpoint").toString();
    FileSystem local = FileSystem.getLocal(conf);
    try (OutputStream out = local.create(new org.apache.hadoop.fs.Path(path))) {
      out.write(new byte[] {1, 2, 3});
    }
    assertThat(names()).contains(".checkpoint.crc");
    HadoopCheckpoints.write(conf, path, withSeed(9), 1);
    assertThat(names()).containsExactly("checkpoint");
    assertThat(HadoopCheckpoints.read(conf, path).seed()).isEqualTo(9);
  }

  @Test
  void aCorruptLatestFallsBackToThePreviousWithAWarningNamingBoth() throws IOException {
    String path = dir.resolve("checkpoint").toString();
    HadoopCheckpoints.write(conf, path, withSeed(1));
    HadoopCheckpoints.write(conf, path, withSeed(2));
    try (RandomAccessFile f = new RandomAccessFile(path, "rw")) {
      f.seek(100);
      int b = f.read();
      f.seek(100);
      f.write(b ^ 0x40);
    }
    HadoopCheckpoints.Latest found = HadoopCheckpoints.readLatest(conf, path);
    assertThat(found.checkpoint().seed()).isEqualTo(1);
    assertThat(found.path()).isEqualTo(path + ".1");
    assertThat(found.warning()).isEqualTo("cannot read checkpoint " + path + ": " + path
        + ": checkpoint is corrupt (CRC mismatch); using the previous checkpoint " + path + ".1 (after epoch "
        + found.checkpoint().state().completedEpochs() + ") instead");

    Files.delete(Path.of(path)); // a crash between shifting the old one and writing the new one
    assertThat(HadoopCheckpoints.readLatest(conf, path).warning())
        .startsWith("checkpoint " + path + " does not exist; using the previous checkpoint " + path + ".1");

    Files.write(Path.of(path + ".1"), new byte[] {9, 9});
    assertThatThrownBy(() -> HadoopCheckpoints.readLatest(conf, path)).isInstanceOf(UncheckedIOException.class)
        .hasMessage("checkpoint " + path + " does not exist");
  }

  @Test
  void aFailedWriteIsOneLineNamingThePath() throws IOException {
    String path = dir.resolve("checkpoint").toString();
    Files.createDirectories(Path.of(path, "something"));
    assertThatThrownBy(() -> HadoopCheckpoints.write(conf, path, withSeed(3), 1))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot write file:" + path + ": is a directory");
  }
}
