package io.sparkprop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.cli.report.ConfusionMatrix;
import io.sparkprop.cli.report.Plots;
import io.sparkprop.core.io.AtomicFiles;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.loss.LossSums;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loss, accuracy and (for single-label classifiers) the confusion matrix of a model on a data
 * set (computed by {@link Scoring}), and the files that report them.
 */
final class Evaluation {
  private Evaluation() {
  }

  /** The sums and, for classifiers, the confusion matrix (else null). */
  record Result(LossSums sums, ConfusionMatrix confusion) {
    /** "loss 0.1234 - accuracy 0.9612 (2,000 samples)". */
    String line() {
      String s = String.format(Locale.ROOT, "loss %.4f", sums.meanLoss());
      if (confusion != null) {
        s += String.format(Locale.ROOT, " - accuracy %.4f", sums.accuracy());
      }
      return s + String.format(Locale.ROOT, " (%,d samples)", sums.count());
    }

    /** The metrics as a JSON object with keys {@code <prefix>_loss}, {@code <prefix>_accuracy}, ... */
    void putInto(ObjectNode o, String prefix) {
      o.put(prefix + "_loss", sums.meanLoss());
      if (confusion != null) {
        o.put(prefix + "_accuracy", sums.accuracy());
      }
      o.put(prefix + "_samples", sums.count());
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
