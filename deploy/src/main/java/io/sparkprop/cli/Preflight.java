package io.sparkprop.cli;

import io.sparkprop.cli.config.ConfigException;
import io.sparkprop.cli.config.RunConfig;
import io.sparkprop.core.data.DataException;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.optim.ReduceOnPlateau;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.TrainingConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;

/**
 * The checks of {@code train} that turn what would fail inside a Spark job (or quietly train the
 * wrong thing) into one clear line, before Spark starts ({@link #master}, {@link #monitors}) or
 * before epoch 1 ({@link #architecture}, {@link #labels}, {@link #trainingRows}).
 */
final class Preflight {
  /** Socket connect timeout per master address: well inside the 15 s a user waits. */
  static final int CONNECT_TIMEOUT_MS = 5000;
  private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9]\\d*)(,\\s*\\d+)?])?");
  private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\d+,\\s*\\d+,\\s*\\d+]");
  private static final Pattern STANDALONE = Pattern.compile("spark://[^:/,\\s]+:\\d+(,[^:/,\\s]+:\\d+)*");

  private Preflight() {
  }

  /** The checks that need neither Spark nor data: the master and the monitored metrics. */
  static void beforeSpark(RunConfig cfg, String masterFlag) throws IOException {
    master(SparkSessions.master(masterFlag, cfg.spark()), masterFlag != null ? "--master" : "spark.master");
    monitors(cfg, cfg.data().validationSplit() > 0 || cfg.data().validation() != null);
    sparkConf(cfg.spark().conf());
  }

  /**
   * Starts Spark for {@code train}. A standalone master that answers TCP but does not register
   * the application (a wrong port, another service) makes Spark give up after its fixed three
   * 20 s attempts; that ends here as one line naming the URL instead of a stopped-context trace.
   */
  static SparkSessions.Session startSpark(String appName, String masterFlag,
                                          io.sparkprop.cli.config.SparkSpec spec) throws IOException {
    String url = SparkSessions.master(masterFlag, spec);
    try {
      return SparkSessions.start(appName, masterFlag, spec);
    } catch (RuntimeException e) {
      if (url.startsWith("spark://")) {
        throw new IOException("the Spark master " + url + " did not accept this application (Spark: all masters "
            + "are unresponsive); is this the master's RPC port (7077 by default, not its web UI)?", e);
      }
      throw e;
    }
  }

  /**
   * Every setting Spark declares with a type (sizes, durations, numbers, booleans) parses as
   * Spark will parse it when the context starts, where a bad value is a trace from deep inside.
   */
  static void sparkConf(java.util.Map<String, String> conf) {
    if (conf.isEmpty()) {
      return;
    }
    try {
      // the entries register themselves when Spark core's config object is initialised
      Class.forName("org.apache.spark.internal.config.package$", true, Preflight.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return;
    }
    for (var e : conf.entrySet()) {
      var entry = org.apache.spark.internal.config.ConfigEntry$.MODULE$.findEntry(e.getKey());
      try {
        if (entry != null) {
          entry.valueConverter().apply(e.getValue());
        } else {
          io.sparkprop.spark.train.SparkTraining.checkSetting(e.getKey(), e.getValue()); // sparkprop's own
        }
      } catch (RuntimeException bad) {
        throw new ConfigException("spark.conf." + e.getKey() + ": \"" + e.getValue() + "\" is not a valid value ("
            + bad.getMessage() + ")");
      }
    }
  }

  /**
   * A master URL Spark accepts, and for {@code spark://} a master that answers a TCP connect
   * within {@link #CONNECT_TIMEOUT_MS} (Spark itself retries for over a minute).
   *
   * @throws ConfigException for a URL Spark does not know
   * @throws IOException     when no address of a standalone master can be reached
   */
  static void master(String url, String source) throws IOException {
    if (url == null || LOCAL.matcher(url).matches() || LOCAL_CLUSTER.matcher(url).matches() || url.equals("yarn")
        || url.startsWith("k8s://")) {
      return;
    }
    if (!STANDALONE.matcher(url).matches()) {
      throw new ConfigException(source + " \"" + url + "\": not a Spark master URL; expected local[*], local[N], "
          + "spark://HOST:PORT, yarn or k8s://https://HOST:PORT");
    }
    IOException last = null;
    for (String hostPort : url.substring("spark://".length()).split(",")) {
      int colon = hostPort.lastIndexOf(':');
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(new java.net.InetSocketAddress(hostPort.substring(0, colon),
            Integer.parseInt(hostPort.substring(colon + 1))), CONNECT_TIMEOUT_MS);
        return;
      } catch (IOException | IllegalArgumentException e) {
        last = e instanceof IOException io ? io : new IOException(e.getMessage());
      }
    }
    throw new IOException("cannot reach the Spark master " + url + " (" + last.getMessage() + "); is it running, and "
        + "reachable from this machine?");
  }

  /**
   * The early-stopping and reduce-on-plateau monitors name metrics this run reports: loss and
   * lr always; accuracy and the classification metrics for classifiers, the regression metrics
   * otherwise; {@code val_} names only with validation data.
   */
  static void monitors(RunConfig cfg, boolean hasValidation) {
    TrainingConfig tc = cfg.training();
    boolean classifier = cfg.model().loss() != null && cfg.model().loss().isClassification();
    if (tc.earlyStopping() != null) {
      monitor("training.earlyStopping.monitor", tc.earlyStopping().monitor(), classifier, hasValidation);
    }
    if (tc.schedule() instanceof ReduceOnPlateau r) {
      monitor("training.schedule.monitor", r.monitor(), classifier, hasValidation);
    }
  }

  static List<String> knownMetrics(boolean classifier, boolean hasValidation) {
    List<String> own = new ArrayList<>(List.of("loss"));
    List<String> val = new ArrayList<>(List.of("loss"));
    if (classifier) {
      own.add("accuracy");
      val.addAll(List.of("accuracy", "top_5_accuracy", "log_loss", "precision_macro", "recall_macro", "f1_macro",
          "precision_weighted", "recall_weighted", "f1_weighted", "roc_auc", "pr_auc"));
    } else {
      val.addAll(List.of("mse", "rmse", "mae", "r2"));
    }
    List<String> known = new ArrayList<>(own);
    if (hasValidation) {
      val.forEach(v -> known.add("val_" + v));
    }
    known.add("lr");
    return known;
  }

  private static void monitor(String key, String name, boolean classifier, boolean hasValidation) {
    List<String> known = knownMetrics(classifier, hasValidation);
    if (known.contains(name)) {
      return;
    }
    boolean needsValidation = name.startsWith("val_") && knownMetrics(classifier, true).contains(name);
    throw new ConfigException(key + ": " + (needsValidation
        ? "'" + name + "' needs validation data and this run has none (data.validationSplit holds out rows only "
            + "from classes of at least 10 rows; or give data.validation)"
        : "unknown metric '" + name + "'") + "; this run reports " + String.join(", ", known));
  }

  /**
   * The model's architecture on rows of {@code features} values, checked: the config's
   * {@code inputShape} takes that many values, every layer fits its input (naming the layer), the
   * parameter count fits one array, and parameters, gradients and optimizer state fit the heap.
   */
  static Sequential architecture(RunConfig cfg, int features, long heapBytes) {
    Shape declared = cfg.model().inputShape();
    if (declared != null && size(declared) != features) {
      throw new DataException("data.train: rows have " + features + " features but model.inputShape " + declared
          + " takes " + size(declared) + "; remove inputShape or make it match the data");
    }
    Sequential arch;
    try {
      arch = cfg.model().architecture(Shape.of(features));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ConfigException("model: " + (e instanceof ArithmeticException
          ? "a layer's output is too large (" + e.getMessage() + ")" : e.getMessage()));
    }
    List<Shape> shapes = outputShapes(arch);
    long total = 0;
    for (int i = 0; i < arch.layers().size(); i++) {
      Layer l = arch.layers().get(i);
      long n = 0;
      try {
        for (TensorSpec t : l.params(shapes.get(i))) {
          n += size(t.shape());
        }
      } catch (ArithmeticException e) {
        n = Long.MAX_VALUE / 4;
      }
      if (n > Integer.MAX_VALUE - 8L) {
        throw new ConfigException(String.format(Locale.ROOT, "model.layers[%d] (%s): %,d parameters on input %s; "
            + "a model holds at most %,d (one float array); use fewer units", i, l.kind(), n, shapes.get(i),
            Integer.MAX_VALUE - 8L));
      }
      total += n;
    }
    if (total > Integer.MAX_VALUE - 8L) {
      throw new ConfigException(String.format(Locale.ROOT, "model: %,d parameters in all; a model holds at most %,d "
          + "(one float array); use fewer units", total, Integer.MAX_VALUE - 8L));
    }
    // parameters, gradient sum, update buffer and the optimizer's slots, 4 bytes each
    long need = total * 4L * (3 + cfg.training().optimizer().slots());
    if (need > heapBytes) {
      throw new ConfigException(String.format(Locale.ROOT, "model: %,d parameters need about %,d MB for parameters, "
          + "gradients and optimizer state, more than the driver's heap of %,d MB; use a smaller model or give the "
          + "driver more memory (--driver-memory under spark-submit, -Xmx with java -jar)", total, mb(need),
          mb(heapBytes)));
    }
    return arch;
  }

  private static long mb(long bytes) {
    return (bytes + (1 << 20) - 1) >> 20;
  }

  private static List<Shape> outputShapes(Sequential arch) {
    try {
      return arch.shapes();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ConfigException("model: " + e.getMessage());
    }
  }

  /** The product of the dimensions, without int overflow. */
  static long size(Shape s) {
    long n = 1;
    for (int d : s.dims()) {
      n = Math.multiplyExact(n, (long) d);
    }
    return n;
  }

  /**
   * The loss fits the labels: a regression loss over several outputs needs labels of as many
   * values, not single numbers (class indices are for a classification loss).
   */
  static void labels(RunConfig cfg, Sequential arch, Dataset<Row> train) {
    if (cfg.model().loss() == null || cfg.model().loss().isClassification()) {
      return;
    }
    long outputs = size(arch.outputShape());
    DataType label = train.schema().apply(io.sparkprop.ml.data.DataSources.LABEL).dataType();
    if (outputs > 1 && label instanceof NumericType) {
      throw new ConfigException("model.loss " + io.sparkprop.core.io.Json.toJson(cfg.model().loss()) + " compares the "
          + outputs + " outputs of the last layer with labels of " + outputs + " values, but data.train's labels are "
          + "single numbers; for class labels use {\"type\": \"softmax_cross_entropy\"}, for one number per row give "
          + "the last layer 1 unit");
    }
  }

  /** A validation split leaves training rows (as its aggregation found: no job here). */
  static void trainingRows(RunConfig cfg, ValidationSplit.Parts split) {
    if (split != null && split.trainEmpty()) {
      throw new DataException("data.validationSplit " + cfg.data().validationSplit() + " leaves no training rows; "
          + "use a smaller split or more data");
    }
  }
}
