package io.sparkprop.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Keeps Spark's own logging out of the way of the program's output. Unless
 * {@code --verbose-spark} is given: before logging starts, log4j2 is pointed at the bundled
 * {@code io/sparkprop/cli/log4j2-cli.properties} (warnings only, one short line each; our
 * {@code io.sparkprop} loggers at INFO), unless {@code log4j2.configurationFile} is already set;
 * when logging has already started (spark-submit), the levels are set directly. The epoch lines
 * are printed by the program itself, so the core's "sparkprop" epoch logger is kept at WARN.
 * netlib's own java.util.logging line about its BLAS is dropped too (the core logs the choice).
 */
final class Logging {
  static final String QUIET_CONFIG = "io/sparkprop/cli/log4j2-cli.properties";
  /** netlib logs its BLAS choice through java.util.logging; held strongly so the level sticks. */
  private static final java.util.logging.Logger NETLIB = java.util.logging.Logger.getLogger("dev.ludovic.netlib");

  private Logging() {
  }

  /** Call first thing in main, before any logger exists. */
  static void beforeStart(boolean verboseSpark) {
    if (!verboseSpark && System.getProperty("log4j2.configurationFile") == null
        && System.getProperty("log4j.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", QUIET_CONFIG);
    }
  }

  /** The filter of Spark's traces of user errors, installed once per JVM while wanted. */
  private static Object userErrors;

  /**
   * Sets the levels (works whatever configuration is active) and drops Spark's traces of user
   * errors ({@link UserErrorLogFilter}) unless {@code debug} or {@code verboseSpark}.
   */
  static synchronized void setLevels(boolean verboseSpark, boolean debug) {
    try {
      var ctx = (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
      if (userErrors == null) {
        userErrors = new UserErrorLogFilter();
      }
      var filter = (UserErrorLogFilter) userErrors;
      ctx.getConfiguration().removeFilter(filter);
      if (!verboseSpark && !debug) {
        ctx.getConfiguration().addFilter(filter);
      }
      ctx.updateLoggers();
    } catch (NoClassDefFoundError | ClassCastException e) {
      // Another logging backend is bound (not log4j2): leave its configuration alone.
    }
    try {
      if (!verboseSpark) {
        NETLIB.setLevel(java.util.logging.Level.WARNING);
        Configurator.setRootLevel(Level.WARN);
        Configurator.setLevel("io.sparkprop", Level.INFO);
        Configurator.setLevel("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
      }
      Configurator.setLevel("sparkprop", Level.WARN);
    } catch (NoClassDefFoundError | ClassCastException e) {
      // Another logging backend is bound (not log4j2): leave its configuration alone.
    }
  }
}
