package io.sparkprop.deploy;

import java.util.List;

/**
 * How {@link StandaloneCluster#submit} starts a driver (through {@code deploy/submit.sh}, client
 * mode: the driver is the spark-submit JVM). Immutable; {@code with...} return changed copies.
 *
 * @param master     master URL; null = the cluster's own (e.g. {@code local[2]} runs the whole job
 *                   in the driver's JVM, with the same JVM flags)
 * @param memory     the driver JVM's heap ({@code -Xmx}), e.g. "1g"
 * @param submitArgs extra spark-submit options, each without blanks (e.g.
 *                   {@code "--conf", "spark.task.maxFailures=2"})
 */
public record DriverSettings(String master, String memory, List<String> submitArgs) {
  /** On the cluster, 1g heap, no extra options. */
  public static final DriverSettings DEFAULTS = new DriverSettings(null, "1g", List.of());

  public DriverSettings {
    if (memory == null || !memory.matches("[0-9]+[kKmMgG]")) {
      throw new IllegalArgumentException("driver memory: expected a heap size such as 512m or 1g, got " + memory);
    }
    submitArgs = List.copyOf(submitArgs);
    for (String a : submitArgs) {
      if (a.isEmpty() || a.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("spark-submit option \"" + a + "\" is empty or has blanks");
      }
    }
  }

  public DriverSettings withMaster(String m) {
    return new DriverSettings(m, memory, submitArgs);
  }

  public DriverSettings withMemory(String m) {
    return new DriverSettings(master, m, submitArgs);
  }

  public DriverSettings withSubmitArgs(List<String> args) {
    return new DriverSettings(master, memory, args);
  }
}
