package io.sparkprop.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JVM options that {@link BlasThreads}' relaunch adds for a local run, each only when the user
 * gave no option of its kind (theirs win). Measured on the main command (see the README): together
 * they cut its CPU time by about 40% and its peak memory by half.
 * <ul>
 *   <li>{@code -XX:+UseSerialGC}: G1's parallel and concurrent threads compete with the two task
 *       threads for the cores, and G1 grows the heap eagerly (regions, remembered sets and card
 *       tables are resident memory too); the serial collector keeps the heap near the live data;</li>
 *   <li>{@code -XX:TieredStopAtLevel=1}: only the quick C1 compiler. A run loads some 20,000
 *       classes and compiles about 15,000 methods once; C2's profiling and recompiling of them was
 *       the largest single consumer of CPU in a profile of the main command, and a run this short
 *       never earns it back (only for short runs: see {@link #of}) (the products of training are native BLAS; the results are the same
 *       floats, Java arithmetic being strict);</li>
 *   <li>{@code -XX:SharedArchiveFile=sparkprop-app.jsa} when the build left that application
 *       class-data archive (AppCDS) next to the jar, not older than the jar: the classes of Spark, Scala and Hadoop parsed
 *       and verified once at build time, mapped from the file in every run. A JVM or jar other
 *       than the one it was made for ignores it ({@code -Xlog:cds*=off} keeps that quiet).</li>
 * </ul>
 * {@code SPARKPROP_NO_CDS=1} (or any {@code -Xshare} option) leaves the archive out.
 */
final class LaunchFlags {
  /** The archive's file name next to the jar: the jar's with {@code .jsa} for {@code .jar}. */
  static final String ARCHIVE_SUFFIX = ".jsa";

  private static final Map.Entry<String, Pattern> COLLECTOR =
      Map.entry("-XX:+UseSerialGC", Pattern.compile("-XX:[+-]Use\\w*GC"));
  private static final Map.Entry<String, Pattern> COMPILER = Map.entry("-XX:TieredStopAtLevel=1",
      Pattern.compile("-XX:TieredStopAtLevel=.*|-XX:[+-]TieredCompilation|-Xint|-Xcomp"));
  private static final Pattern CDS = Pattern.compile("-Xshare.*|-XX:SharedArchiveFile=.*|-XX:ArchiveClassesAtExit=.*");

  private LaunchFlags() {
  }

  /**
   * The options to add for a relaunch of {@code jar} running {@code args}, given the user's JVM
   * options and the environment. The C1-only compiler is for short runs only: every command but
   * {@code train}, and {@code train} of the bundled sample (no {@code --config}). Training a
   * config of one's own may run for hours, where C2's compiled loops (activations, pooling,
   * recurrent gates, the optimizer) earn back its compile time many times over.
   */
  static List<String> of(List<String> userOptions, Path jar, Map<String, String> env, List<String> args) {
    List<String> flags = new ArrayList<>();
    List<Map.Entry<String, Pattern>> kinds = shortRun(args) ? List.of(COLLECTOR, COMPILER) : List.of(COLLECTOR);
    for (Map.Entry<String, Pattern> f : kinds) {
      if (userOptions.stream().noneMatch(o -> f.getValue().matcher(o).matches())) {
        flags.add(f.getKey());
      }
    }
    Path archive = archive(jar);
    if (Files.isRegularFile(archive) && !stale(archive, jar) && !env.containsKey("SPARKPROP_NO_CDS")
        && userOptions.stream().noneMatch(o -> CDS.matcher(o).matches())) {
      flags.add("-XX:SharedArchiveFile=" + archive);
      flags.add("-Xlog:cds*=off");
    }
    return flags;
  }

  /** Whether {@code args} (the program's, after the jar) name a short run: see {@link #of}. */
  static boolean shortRun(List<String> args) {
    String command = args.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
    return !"train".equals(command)
        || args.stream().noneMatch(a -> a.equals("-c") || a.equals("--config") || a.startsWith("--config="));
  }

  /**
   * Whether the archive is older than the jar: a build that skipped the archive (for example
   * {@code -Pquick}) repackaged the jar after it. The JVM would refuse such an archive for its
   * class path and then run without the JDK's own default archive too, starting about 3 s slower
   * than with no archive at all (measured on the main command: Spark up in 10.3 s against 7.0 s).
   */
  static boolean stale(Path archive, Path jar) {
    try {
      return Files.isRegularFile(jar)
          && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) < 0;
    } catch (java.io.IOException e) {
      return true;
    }
  }

  /** Where the build leaves the class-data archive of {@code jar}. */
  static Path archive(Path jar) {
    String name = jar.getFileName().toString();
    return jar.resolveSibling((name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name)
        + ARCHIVE_SUFFIX);
  }
}
