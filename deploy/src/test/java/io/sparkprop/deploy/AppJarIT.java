package io.sparkprop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packaged application jar target/sparkprop-app.jar: contents, manifest, and a local-mode run. */
class AppJarIT {
  private static final Path APP_JAR = Path.of(System.getProperty("sparkprop.appJar", "target/sparkprop-app.jar"));

  @Test
  void holdsOurCodeAndShadedDependenciesButNothingSparkBrings() throws IOException {
    List<String> names = new ArrayList<>();
    try (JarFile jar = new JarFile(APP_JAR.toFile())) {
      jar.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class")).forEach(names::add);
      assertThat(names).anyMatch(n -> n.startsWith("io/sparkprop/core/"))
          .anyMatch(n -> n.startsWith("io/sparkprop/shaded/org/ejml/"))
          .anyMatch(n -> n.startsWith("picocli/"));
      for (String provided : List.of("org/apache/spark/", "scala/", "org/apache/hadoop/", "com/fasterxml/",
          "org/slf4j/", "org/apache/logging/", "dev/ludovic/", "org/ejml/")) {
        assertThat(names).as("classes under %s", provided).noneMatch(n -> n.startsWith(provided));
      }
      // Our classes refer to EJML only under its relocated name.
      for (String n : names) {
        if (n.startsWith("io/sparkprop/core/")) {
          String bytes = new String(jar.getInputStream(jar.getEntry(n)).readAllBytes(), StandardCharsets.ISO_8859_1);
          assertThat(bytes.replace("io/sparkprop/shaded/org/ejml/", "")).as(n).doesNotContain("org/ejml/");
        }
      }
    }
  }

  @Test
  void manifestNamesTheMainClassTheSparkJarsAndTheModuleOpens() throws IOException {
    Attributes main;
    try (JarFile jar = new JarFile(APP_JAR.toFile())) {
      main = jar.getManifest().getMainAttributes();
    }
    assertThat(main.getValue("Main-Class")).isEqualTo("io.sparkprop.cli.Main");

    List<String> classPath = Arrays.asList(main.getValue("Class-Path").split(" "));
    Path lib = APP_JAR.getParent().resolve("lib");
    List<String> libJars;
    try (Stream<Path> files = Files.list(lib)) {
      libJars = files.map(f -> "lib/" + f.getFileName()).toList();
    }
    assertThat(classPath).containsExactlyInAnyOrderElementsOf(libJars)
        .anyMatch(e -> e.startsWith("lib/spark-core_2.13-"));

    List<String> opens = new ArrayList<>();
    for (String flag : System.getProperty("sparkprop.jvmFlags").split("\\s+")) {
      if (flag.startsWith("--add-opens=")) {
        opens.add(flag.substring("--add-opens=".length(), flag.lastIndexOf("=ALL-UNNAMED")));
      }
    }
    assertThat(opens).isNotEmpty();
    assertThat(main.getValue("Add-Opens").split(" ")).containsExactlyElementsOf(opens);
  }

  @Test
  void runsInLocalModeWithSparkFoundThroughTheManifestClassPath() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target"), "it-local-");
    Path tiny = TinyJob.writeJar(dir.resolve("tiny-job.jar"));
    long n = 100_000;
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Collections.addAll(cmd, System.getProperty("sparkprop.jvmFlags").trim().split("\\s+"));
    // Nothing of Spark on this class path but what the app jar's manifest Class-Path names.
    Collections.addAll(cmd, "-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
        "-cp", APP_JAR.toAbsolutePath() + ":" + tiny.toAbsolutePath(), TinyJob.class.getName(), Long.toString(n), "3");
    Path log = dir.resolve("run.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly().waitFor();
    }
    String out = Files.readString(log);
    assertThat(done).as("finished in time; log %s", log).isTrue();
    assertThat(p.exitValue()).as("exit code; output:%n%s", out).isZero();
    assertThat(out).contains("TINYJOB sum=" + TinyJob.sumRange(0, n) + " expected=" + TinyJob.sumRange(0, n));
  }
}
