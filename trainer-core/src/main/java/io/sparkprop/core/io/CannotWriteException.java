package io.sparkprop.core.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * A file that could not be written, with a message of one line:
 * {@code cannot write out/model/params.bin: permission denied} or {@code ...: no space left on device}.
 * The cause keeps the file system's own exception.
 */
public class CannotWriteException extends IOException {
  private static final long serialVersionUID = 1L;
  private final String path;

  /** {@code cannot write path: reason}, the reason taken from {@code cause}. */
  public CannotWriteException(String path, Throwable cause) {
    super("cannot write " + path + ": " + reason(cause), cause);
    this.path = path;
  }

  /** The file (or folder) that could not be written. */
  public String path() {
    return path;
  }

  /**
   * A short, lower-case reason for a failed write: {@code permission denied}, {@code no space left
   * on device}, a quota, or the exception's own first line. Errors wrapping an {@link IOException}
   * (Hadoop's {@code FSError}) are unwrapped first.
   */
  public static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof IOException) && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof CannotWriteException c && c.getCause() != null) {
      return reason(c.getCause());
    }
    if (t instanceof AccessDeniedException) {
      return "permission denied";
    }
    String name = t.getClass().getSimpleName();
    if (t instanceof FileSystemException f && f.getReason() == null && !name.equals("FileSystemException")) {
      // java.nio's exceptions carry the path as their message and the reason in the class name
      return name.replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
    String msg = t instanceof FileSystemException f && f.getReason() != null ? f.getReason() : t.getMessage();
    String first = msg == null ? name : msg.lines().findFirst().orElse(name).strip();
    String lower = first.toLowerCase(Locale.ROOT);
    if (lower.contains("no space left")) {
      return "no space left on device";
    }
    if (name.contains("QuotaExceeded")) {
      return "no space left (quota exceeded: " + first + ")";
    }
    if (name.equals("AccessControlException") || lower.contains("permission denied")) {
      return "permission denied (" + first + ")";
    }
    // "Is a directory" -> "is a directory", but keep "HDFS ..." as it is
    return first.length() > 1 && Character.isUpperCase(first.charAt(0)) && Character.isLowerCase(first.charAt(1))
        ? Character.toLowerCase(first.charAt(0)) + first.substring(1) : first;
  }
}
