package io.sparkprop.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the log events that reach the appenders (after the configuration's filters), as the
 * console would print them: message and stack trace lines, for a check that no trace is printed.
 */
final class SparkLogCapture extends AbstractAppender implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();

  private SparkLogCapture() {
    super("capture", null, null, true, Property.EMPTY_ARRAY);
  }

  /** Starts capturing on the root logger. */
  static SparkLogCapture capture() {
    SparkLogCapture c = new SparkLogCapture();
    c.start0();
    return c;
  }

  private void start0() {
    super.start();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().getRootLogger().addAppender(this, null, null);
    ctx.updateLoggers();
  }

  @Override
  public synchronized void append(LogEvent event) {
    lines.add(event.getMessage().getFormattedMessage());
    for (Throwable t = event.getThrown(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (StackTraceElement e : t.getStackTrace()) {
        lines.add("\tat " + e);
      }
    }
  }

  /** What was printed, one string per event or trace line. */
  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().getRootLogger().removeAppender(getName());
    ctx.updateLoggers();
    stop();
  }
}
