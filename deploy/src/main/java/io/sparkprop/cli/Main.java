package io.sparkprop.cli;

import io.sparkprop.cli.config.ConfigException;
import io.sparkprop.core.data.DataException;
import io.sparkprop.core.io.FileFormatException;
import io.sparkprop.core.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sparkprop} command-line program. {@code java -jar sparkprop-app.jar train} trains
 * the default model (the bundled {@code mnist-mlp} config) in Spark local mode; under
 * spark-submit the same jar and class run on the cluster. Exit codes: 0 success, 1 training or
 * I/O failure (also an unreachable master, a diverged loss), 2 bad command line, config or data.
 * Errors are one {@code error:} line; a stack trace only for internal errors or with {@code --debug}.
 */
@Command(name = "sparkprop", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Train, evaluate and use neural networks with data-parallel gradient descent on Spark.",
    subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, SummaryCommand.class,
        LrFindCommand.class, ExportCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** Exit code of a bad command line, config or data set. */
  public static final int USAGE = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
      description = "Print the stack trace of every error (by default only of internal errors).")
  boolean debug;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: train, evaluate, predict, "
        + "summary, lr-find or export (try: train)");
  }

  /** Runs the program and exits with its exit code. */
  public static void main(String[] args) throws Exception {
    List<String> relaunch = BlasThreads.relaunchCommand(args);
    if (relaunch != null) {
      System.exit(BlasThreads.relaunch(relaunch));
    }
    int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    System.exit(code);
  }

  /** Runs the program, printing to {@code out} and {@code err}; returns the exit code (no System.exit). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    boolean verbose = Arrays.asList(args).contains("--verbose-spark");
    boolean debug = Arrays.asList(args).contains("--debug");
    Logging.beforeStart(verbose);
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    Logging.setLevels(verbose, debug);
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((thrown, line, parsed) -> {
      Exception e = userError(thrown);
      err.println("error: " + message(e));
      if (debug || !expected(e)) {
        e.printStackTrace(err);
      }
      err.flush();
      return e instanceof ConfigException || e instanceof DataException || e instanceof FileFormatException
          ? USAGE : 1;
    });
    return cl.execute(args);
  }

  /**
   * The bad-data error inside a Spark failure (a task's {@link DataException} arrives wrapped in
   * SparkExceptions, whose messages repeat the task's stack), or {@code e} itself.
   */
  static Exception userError(Exception e) {
    for (Throwable c = e; c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof DataException d) {
        return d;
      }
    }
    return e;
  }

  /** Errors the user can fix from the message alone (no stack trace). */
  private static boolean expected(Exception e) {
    return e instanceof ConfigException || e instanceof DataException || e instanceof FileFormatException
        || e instanceof IOException || e instanceof UncheckedIOException || e instanceof TrainingDivergedException;
  }

  private static String message(Exception e) {
    if (e instanceof TrainingDivergedException) {
      return e.getMessage() + " (try a lower learning rate; `lr-find` suggests one)";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** The version printed by {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"sparkprop " + (v == null ? "(development build)" : v),
          "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Java " + System.getProperty("java.version")};
    }
  }
}
