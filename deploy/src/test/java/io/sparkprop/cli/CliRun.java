package io.sparkprop.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** What one run of the program in this JVM returned and printed to its output and error streams. */
record CliRun(int code, String out, String err) {
  /** Runs the program ({@link Main#run}) on {@code args}. */
  static CliRun cli(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
    return new CliRun(code, o.toString(), e.toString());
  }
}
