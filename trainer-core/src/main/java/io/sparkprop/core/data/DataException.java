package io.sparkprop.core.data;

/** Input data that cannot be used, with a message naming the file/partition, row and problem. */
public class DataException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
