package io.sparkprop.core.io;

import java.io.IOException;

/**
 * A file that cannot be read as what it claims to be: truncated, wrong magic bytes, checksum
 * mismatch, unsupported version, or contents that do not fit. The message starts with the file's
 * name, e.g. {@code "out/model/params.bin: truncated: expected 101770 floats, found 5000"}.
 */
public class FileFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** {@code source: problem}. */
  public FileFormatException(String source, String problem) {
    super(source + ": " + problem);
  }

  /** {@code source: problem}, with the underlying error. */
  public FileFormatException(String source, String problem, Throwable cause) {
    super(source + ": " + problem, cause);
  }
}
