package io.sparkprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relaunch's JVM options: added by default, left out where the user chose their own. */
class LaunchFlagsTest {
  private static final List<String> TRAIN = List.of("train");

  @TempDir
  Path dir;

  @Test
  void theQuickCompilerOnlyForShortRuns() {
    Path jar = dir.resolve("sparkprop-app.jar");
    assertThat(LaunchFlags.of(List.of(), jar, Map.of(), List.of("train", "--epochs", "2")))
        .contains("-XX:TieredStopAtLevel=1");
    assertThat(LaunchFlags.of(List.of(), jar, Map.of(), List.of("predict", "--model", "m", "-c", "x.json")))
        .contains("-XX:TieredStopAtLevel=1");
    for (List<String> own : List.of(List.of("train", "-c", "fashion-cnn.json"), List.of("train", "--config", "x.json"),
        List.of("--debug", "train", "--config=x.json"))) {
      assertThat(LaunchFlags.of(List.of(), jar, Map.of(), own)).as("%s", own).containsExactly("-XX:+UseSerialGC");
    }
  }

  @Test
  void addsTheCollectorAndCompilerFlagsUnlessTheUserChoseTheirOwn() {
    Path jar = dir.resolve("sparkprop-app.jar");
    assertThat(LaunchFlags.of(List.of("-Xmx2g"), jar, Map.of(), TRAIN))
        .containsExactly("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    assertThat(LaunchFlags.of(List.of("-XX:+UseG1GC", "-XX:TieredStopAtLevel=4"), jar, Map.of(), TRAIN)).isEmpty();
    assertThat(LaunchFlags.of(List.of("-XX:+UseParallelGC", "-XX:-TieredCompilation"), jar, Map.of(), TRAIN)).isEmpty();
    assertThat(LaunchFlags.of(List.of("-XX:+UseStringDeduplication"), jar, Map.of(), TRAIN))
        .as("not a collector choice").contains("-XX:+UseSerialGC");
  }

  @Test
  void mapsTheArchiveTheBuildLeftNextToTheJar() throws Exception {
    Path jar = dir.resolve("sparkprop-app.jar");
    Path archive = dir.resolve("sparkprop-app.jsa");
    assertThat(LaunchFlags.archive(jar)).isEqualTo(archive);
    assertThat(LaunchFlags.of(List.of(), jar, Map.of(), TRAIN)).noneMatch(f -> f.contains("SharedArchiveFile"));

    Files.write(archive, new byte[] {1});
    assertThat(LaunchFlags.of(List.of(), jar, Map.of(), TRAIN))
        .contains("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off");
    assertThat(LaunchFlags.of(List.of("-Xshare:off"), jar, Map.of(), TRAIN)).noneMatch(f -> f.contains("cds")
        || f.contains("Archive"));
    assertThat(LaunchFlags.of(List.of(), jar, Map.of("SPARKPROP_NO_CDS", "1"), TRAIN))
        .containsExactly("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  }

  @Test
  void leavesOutAnArchiveOlderThanTheJar() throws Exception {
    Path jar = Files.write(dir.resolve("sparkprop-app.jar"), new byte[] {1});
    Path archive = Files.write(dir.resolve("sparkprop-app.jsa"), new byte[] {1});
    java.nio.file.attribute.FileTime t = Files.getLastModifiedTime(jar);
    Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(t.toMillis() + 1000));
    assertThat(LaunchFlags.of(List.of(), jar, Map.of(), TRAIN)).contains("-XX:SharedArchiveFile=" + archive);
    Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(t.toMillis() - 1000));
    assertThat(LaunchFlags.of(List.of(), jar, Map.of(), TRAIN)).as("a jar repackaged after the archive")
        .containsExactly("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  }
}
