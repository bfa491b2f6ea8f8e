package io.sparkprop.cli;

import io.sparkprop.cli.config.ConfigException;
import io.sparkprop.core.data.DataException;
import io.sparkprop.core.io.FileFormatException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.message.Message;

/**
 * Drops Spark's log events about a task that failed on bad user data: the executor's "Exception
 * in task" (the error as its throwable) and the scheduler's "Lost task" (the error's stack trace
 * inside the message). The program prints that error as its one {@code error:} line; the 50-100
 * lines of executor trace before it helped nobody. Other failures (lost executors, internal bugs)
 * are logged as before; {@code --debug} and {@code --verbose-spark} turn the filter off.
 */
final class UserErrorLogFilter extends AbstractFilter {
  /**
   * Loggers whose traces say only that a standalone master cannot be reached (the program ends
   * with one line naming the URL); their one-line warnings stay.
   */
  private static final java.util.Set<String> MASTER_CLIENT = java.util.Set.of(
      "org.apache.spark.deploy.client.StandaloneAppClient$ClientEndpoint",
      "org.apache.spark.network.server.TransportChannelHandler");

  /** The class names whose appearance marks a user's mistake. */
  private static final String[] USER_ERRORS = {DataException.class.getName(), FileFormatException.class.getName(),
      ConfigException.class.getName()};

  UserErrorLogFilter() {
    super(Filter.Result.DENY, Filter.Result.NEUTRAL);
  }

  // log4j asks a configuration's filter before it builds the event (the overloads by message
  // type), and a logger's filter with the event: all of them decide the same way
  @Override
  public Result filter(LogEvent event) {
    if (event.getThrown() != null && MASTER_CLIENT.contains(event.getLoggerName())) {
      return onMatch;
    }
    return decide(event.getMessage() == null ? null : event.getMessage().getFormattedMessage(), event.getThrown());
  }

  @Override
  public Result filter(Logger logger, Level level, Marker marker, Message msg, Throwable t) {
    if (t != null && MASTER_CLIENT.contains(logger.getName())) {
      return onMatch;
    }
    return decide(msg == null ? null : msg.getFormattedMessage(), t);
  }

  @Override
  public Result filter(Logger logger, Level level, Marker marker, Object msg, Throwable t) {
    if (t != null && MASTER_CLIENT.contains(logger.getName())) {
      return onMatch;
    }
    return decide(msg == null ? null : msg.toString(), t);
  }

  @Override
  public Result filter(Logger logger, Level level, Marker marker, String msg, Object... params) {
    Throwable t = params != null && params.length > 0 && params[params.length - 1] instanceof Throwable th ? th : null;
    if (t != null && MASTER_CLIENT.contains(logger.getName())) {
      return onMatch;
    }
    return decide(msg, t);
  }

  /** DENY for a user error's throwable, or a message that carries its stack trace. */
  Result decide(String message, Throwable thrown) {
    for (Throwable t = thrown; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof DataException || t instanceof FileFormatException || t instanceof ConfigException) {
        return onMatch;
      }
    }
    if (message != null && message.contains("\tat ")) {
      for (String name : USER_ERRORS) {
        if (message.contains(name)) {
          return onMatch;
        }
      }
    }
    return onMismatch;
  }
}
