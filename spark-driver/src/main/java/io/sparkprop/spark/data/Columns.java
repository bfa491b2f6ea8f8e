package io.sparkprop.spark.data;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * Column names as Spark SQL reads them: back-quoted, with back-quotes doubled, so that a name
 * holding dots, spaces or back-quotes ({@code "a.b"}, {@code "x`y"}) names that one column and is
 * never parsed as a struct field or an expression.
 */
public final class Columns {
  private Columns() {
  }

  /** {@code name} quoted for Spark SQL: {@code a.b} becomes {@code `a.b`}. */
  public static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** The column named exactly {@code name}. */
  public static Column col(String name) {
    return functions.col(quote(name));
  }
}
