package io.sparkprop.cli;

import io.sparkprop.cli.config.ConfigException;
import io.sparkprop.cli.config.ConfigLoader;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.core.model.Model;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code predict}: a saved model's predictions for the test (or training) data of a config,
 * computed and written by the executors as a folder of CSV (with a header) or Parquet files, one
 * row per sample: {@code predicted} (classifiers, in the original labels), {@code label}, then
 * the class probabilities {@code p_j} (or the outputs {@code y_j} of a regression). The folder
 * is written under a temporary name and renamed when complete; {@code -o -} prints CSV to
 * standard output instead (at most {@value #STDOUT_ROWS} rows).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Predict with a saved model; the executors write the predictions as a CSV or Parquet folder.")
final class PredictCommand implements Callable<Integer> {
  /** The most rows {@code -o -} prints (they pass through the driver). */
  static final int STDOUT_ROWS = 100_000;

  @Spec
  CommandSpec spec;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL_DIR", description = "The saved model folder.")
  java.nio.file.Path model;

  @Mixin
  ConfigOptions configOptions;

  @Option(names = "--split", paramLabel = "test|train", description = "Which data of the config (default test).")
  String split = "test";

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "The folder to write (any Hadoop path; must not exist; default: predictions/ in the run folder "
          + "of the model), or - for CSV on standard output.")
  String output;

  @Option(names = "--format", paramLabel = "csv|parquet", description = "Format of the folder (default csv).")
  String format = "csv";

  @Option(names = "--show", paramLabel = "N", description = "Print the first N predictions (default ${DEFAULT-VALUE}).")
  int show = 10;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!format.equals("csv") && !format.equals("parquet")) {
      throw new ConfigException("--format: expected csv or parquet, got \"" + format + "\"");
    }
    if (!split.equals("test") && !split.equals("train")) {
      throw new ConfigException("--split: expected test or train, got \"" + split + "\"");
    }
    Model m = ModelIO.load(model);
    Preprocessing pre = Preprocessing.load(model);
    ConfigLoader.Loaded loaded = configOptions.load(null, EvaluateCommand.runConfig(model));
    var text = TextInputs.forModel(model, m, loaded);
    String target = output != null ? output : RunFolder.ofModel(model).resolve("predictions").toUri().toString();
    try (SparkSessions.Session session = SparkSessions.start("sparkprop predict", null, loaded.config().spark())) {
      var d = loaded.config().data();
      boolean useTrain = split.equals("train") || d.test() == null;
      String key = useTrain ? "data.train" : "data.test";
      String from = (useTrain ? "training" : "test") + " data of " + loaded.source();
      Dataset<Row> frame = pre.apply(Inputs.read(session.spark(), loaded, useTrain ? d.train() : d.test(), key, 0,
          text, pre.readerOptions()), key);
      Dataset<Row> predictions = Scoring.predict(m, pre, frame, true, key);
      if (target.equals("-")) {
        toStdout(predictions, out);
        return 0;
      }
      Path dest = new Path(target);
      FileSystem fs = dest.getFileSystem(session.spark().sparkContext().hadoopConfiguration());
      if (fs.exists(dest)) {
        throw new ConfigException("--output " + target + ": already exists; give a new folder");
      }
      Path tmp = new Path(dest.getParent(), "." + dest.getName() + ".tmp-" + System.nanoTime());
      try {
        var writer = predictions.write();
        if (format.equals("csv")) {
          writer.option("header", "true").csv(tmp.toString());
        } else {
          writer.parquet(tmp.toString());
        }
        if (!fs.rename(tmp, dest)) {
          throw new IOException("cannot rename " + tmp + " to " + dest);
        }
      } catch (RuntimeException | IOException e) {
        fs.delete(tmp, true);
        throw io.sparkprop.spark.train.SparkTraining.unwrap(e instanceof RuntimeException r ? r
            : new java.io.UncheckedIOException((IOException) e), key);
      }
      List<Row> first = show > 0 ? session.spark().read().format(format).option("header", "true")
          .option("inferSchema", "true").load(dest.toString()).limit(show).collectAsList() : List.of();
      for (int i = 0; i < first.size(); i++) {
        out.printf(Locale.ROOT, "%d: %s%n", i, first.get(i).mkString(", "));
      }
      long n = session.spark().read().format(format).option("header", "true").load(dest.toString()).count();
      out.printf(Locale.ROOT, "predicted %,d samples of %s; wrote %s (%s)%n", n, from, dest, format);
    }
    out.flush();
    return 0;
  }

  /** Prints the predictions as CSV (header first) when there are few enough. */
  private static void toStdout(Dataset<Row> predictions, PrintWriter out) {
    List<Row> rows = predictions.limit(STDOUT_ROWS + 1).collectAsList();
    if (rows.size() > STDOUT_ROWS) {
      throw new ConfigException("-o -: more than " + STDOUT_ROWS + " predictions; write them to a folder instead");
    }
    out.println(String.join(",", predictions.columns()));
    for (Row r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.length(); i++) {
        b.append(i == 0 ? "" : ",").append(r.get(i) instanceof String t ? cell(t) : number(r.getDouble(i)));
      }
      out.println(b);
    }
    out.flush();
  }

  /** A string label as a CSV cell: quoted (quotes doubled) when it holds a comma, quote or line break. */
  private static String cell(String s) {
    return s.matches("(?s).*[,\"\r\n].*") ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
