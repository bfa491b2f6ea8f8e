package io.sparkprop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.cli.report.ConfusionMatrix;
import io.sparkprop.cli.report.Plots;
import io.sparkprop.core.io.AtomicFiles;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.metrics.ClassificationReport;
import io.sparkprop.core.metrics.ClassificationSums;
import io.sparkprop.core.metrics.MetricSums;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loss, accuracy, the metrics of {@link MetricSums} and (for single-label classifiers) the
 * confusion matrix of a model on a data set (computed by {@link Scoring}), and the files that
 * report them.
 */
final class Evaluation {
  private Evaluation() {
  }

  /** Metrics shown on the one-line summary (when present); metrics.json has them all. */
  private static final List<String> HEADLINE = List.of("f1_macro", "roc_auc", "pr_auc", "rmse", "mae", "r2");

  /**
   * The sums, for classifiers the confusion matrix (else null), and the metric sums (null for
   * multi-label outputs).
   */
  record Result(LossSums sums, ConfusionMatrix confusion, MetricSums metrics) {
    /** "loss 0.1234 - accuracy 0.9612 - f1_macro 0.9598 (2,000 samples)". */
    String line() {
      String s = String.format(Locale.ROOT, "loss %.4f", sums.meanLoss());
      if (confusion != null) {
        s += String.format(Locale.ROOT, " - accuracy %.4f", sums.accuracy());
      }
      Map<String, Double> v = metrics == null ? Map.of() : metrics.values();
      for (String k : HEADLINE) {
        if (v.containsKey(k) && Double.isFinite(v.get(k))) {
          s += String.format(Locale.ROOT, " - %s %.4f", k, v.get(k));
        }
      }
      return s + String.format(Locale.ROOT, " (%,d samples)", sums.count());
    }

    /**
     * The metrics as a JSON object with keys {@code <prefix>_loss}, {@code <prefix>_accuracy},
     * {@code <prefix>_f1_macro}, ... (NaN values, e.g. an AUC of data with one class, are
     * left out), and for classifiers {@code <prefix>_per_class}: precision, recall, F1 and
     * support of each class index.
     */
    void putInto(ObjectNode o, String prefix) {
      o.put(prefix + "_loss", sums.meanLoss());
      if (confusion != null) {
        o.put(prefix + "_accuracy", sums.accuracy());
      }
      o.put(prefix + "_samples", sums.count());
      if (metrics == null) {
        return;
      }
      metrics.values().forEach((k, v) -> {
        if (Double.isFinite(v)) {
          o.put(prefix + "_" + k, v);
        }
      });
      if (metrics instanceof ClassificationSums c) {
        ClassificationReport r = c.report();
        ObjectNode per = o.putObject(prefix + "_per_class");
        for (int i = 0; i < r.support().length; i++) {
          ObjectNode k = per.putObject(Integer.toString(i));
          k.put("precision", r.precision()[i]);
          k.put("recall", r.recall()[i]);
          k.put("f1", r.f1()[i]);
          k.put("support", r.support()[i]);
        }
      }
    }

    /** scikit-learn's classification_report as text (empty for regression). */
    String report() {
      if (!(metrics instanceof ClassificationSums c)) {
        return "";
      }
      ClassificationReport r = c.report();
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%14s %9s %9s %9s %9s%n", "class",
          "precision", "recall", "f1-score", "support"));
      for (int i = 0; i < r.support().length; i++) {
        b.append(String.format(Locale.ROOT, "%14d %9.4f %9.4f %9.4f %9d%n", i, r.precision()[i], r.recall()[i],
            r.f1()[i], r.support()[i]));
      }
      b.append(String.format(Locale.ROOT, "%14s %9.4f %9.4f %9.4f %9d%n", "macro avg", r.precisionMacro(),
          r.recallMacro(), r.f1Macro(), r.count()));
      b.append(String.format(Locale.ROOT, "%14s %9.4f %9.4f %9.4f %9d%n", "weighted avg", r.precisionWeighted(),
          r.recallWeighted(), r.f1Weighted(), r.count()));
      return b.toString();
    }
  }

  /** Writes {@code confusion-matrix.txt} and {@code .png} into {@code folder} (a plot failure only warns). */
  static void writeConfusion(Result r, Path folder, PrintWriter out) throws IOException {
    writeConfusion(r, folder, "confusion-matrix", out);
  }

  /** Writes {@code <name>.txt} and {@code <name>.png} into {@code folder} (a plot failure only warns). */
  static void writeConfusion(Result r, Path folder, String name, PrintWriter out) throws IOException {
    if (r.confusion() == null) {
      return;
    }
    byte[] text = r.confusion().format().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(o -> o.write(text), folder.resolve(name + ".txt"));
    plot(() -> Plots.confusion(r.confusion(), folder.resolve(name + ".png")), name + ".png", out);
  }

  /** Writes {@code json} pretty-printed to {@code file}. */
  static void writeJson(Object json, Path file) throws IOException {
    AtomicFiles.write(o -> Json.writePretty(json, o), file);
  }

  /** A plot step that may fail on a JVM without fonts or graphics. */
  interface PlotStep {
    void draw() throws IOException;
  }

  /** Runs {@code step}; a failure prints a warning naming {@code file} instead of failing the run. */
  static boolean plot(PlotStep step, String file, PrintWriter out) {
    try {
      step.draw();
      return true;
    } catch (IOException | RuntimeException | LinkageError | InternalError e) {
      out.println("warning: could not draw " + file + " (" + e + "); the other results are written");
      return false;
    }
  }
}
