package io.sparkprop.cli.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.core.io.AtomicFiles;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.Timings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a {@link History} as {@code history.csv} (one header line, then one row per epoch;
 * a metric that does not apply is an empty cell) and {@code history.json} (a list of objects
 * with the same keys; a metric that does not apply is left out).
 */
public final class HistoryFiles {
  /** The CSV columns, in order (also the JSON keys). */
  public static final String[] COLUMNS = {"epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds",
      "samples", "samples_per_second", "broadcast_seconds", "compute_seconds", "aggregate_seconds", "update_seconds"};

  private HistoryFiles() {
  }

  /** The values of one epoch in {@link #COLUMNS} order. */
  static double[] row(EpochLog e) {
    double[] ph = e.phaseSeconds();
    return new double[] {e.epoch(), e.loss(), e.accuracy(), e.valLoss(), e.valAccuracy(), e.learningRate(),
        e.seconds(), e.samples(), e.samplesPerSecond(), phase(ph, Timings.Phase.BROADCAST),
        phase(ph, Timings.Phase.COMPUTE), phase(ph, Timings.Phase.AGGREGATE), phase(ph, Timings.Phase.UPDATE)};
  }

  private static double phase(double[] ph, Timings.Phase p) {
    return ph != null && ph.length > p.ordinal() ? ph[p.ordinal()] : Double.NaN;
  }

  /** The CSV text. */
  public static String csv(History h) {
    StringBuilder b = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    for (EpochLog e : h.epochs()) {
      double[] r = row(e);
      for (int i = 0; i < r.length; i++) {
        b.append(i == 0 ? "" : ",").append(format(r[i]));
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** The JSON list. */
  public static ArrayNode json(History h) {
    ArrayNode list = Json.mapper().createArrayNode();
    for (EpochLog e : h.epochs()) {
      ObjectNode o = list.addObject();
      double[] r = row(e);
      for (int i = 0; i < r.length; i++) {
        if (Double.isNaN(r[i])) {
          continue;
        }
        if (i == 0 || COLUMNS[i].equals("samples")) {
          o.put(COLUMNS[i], (long) r[i]);
        } else {
          o.put(COLUMNS[i], r[i]);
        }
      }
    }
    return list;
  }

  /** Writes {@code history.csv} and {@code history.json} into {@code folder}. */
  public static void write(History h, Path folder) throws IOException {
    byte[] csv = csv(h).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(out -> out.write(csv), folder.resolve("history.csv"));
    ArrayNode json = json(h);
    AtomicFiles.write(out -> Json.writePretty(json, out), folder.resolve("history.json"));
  }

  private static String format(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
