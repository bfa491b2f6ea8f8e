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
  @TempDir
  Path dir;

  @Test
  void addsTheCollectorAndCompilerFlagsUnlessTheUserChoseTheirOwn() {
    Path jar = dir.resolve("sparkprop-app.jar");
    assertThat(LaunchFlags.of(List.of("-Xmx2g"), jar, Map.of()))
        .containsExactly("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    assertThat(LaunchFlags.of(List.of("-XX:+UseG1GC", "-XX:TieredStopAtLevel=4"), jar, Map.of())).isEmpty();
    assertThat(LaunchFlags.of(List.of("-XX:+UseParallelGC", "-XX:-TieredCompilation"), jar, Map.of())).isEmpty();
    assertThat(LaunchFlags.of(List.of("-XX:+UseStringDeduplication"), jar, Map.of()))
        .as("not a collector choice").contains("-XX:+UseSerialGC");
  }

  @Test
  void mapsTheArchiveTheBuildLeftNextToTheJar() throws Exception {
    Path jar = dir.resolve("sparkprop-app.jar");
    Path archive = dir.resolve("sparkprop-app.jsa");
    assertThat(LaunchFlags.archive(jar)).isEqualTo(archive);
    assertThat(LaunchFlags.of(List.of(), jar, Map.of())).noneMatch(f -> f.contains("SharedArchiveFile"));

    Files.write(archive, new byte[] {1});
    assertThat(LaunchFlags.of(List.of(), jar, Map.of()))
        .contains("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off");
    assertThat(LaunchFlags.of(List.of("-Xshare:off"), jar, Map.of())).noneMatch(f -> f.contains("cds")
        || f.contains("Archive"));
    assertThat(LaunchFlags.of(List.of(), jar, Map.of("SPARKPROP_NO_CDS", "1")))
        .containsExactly("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  }
}
