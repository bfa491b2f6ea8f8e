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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a {@link History} as {@code history.csv} (one header line, then one row per epoch;
 * a metric that does not apply is an empty cell) and {@code history.json} (a list of objects
 * with the same keys; a metric that does not apply is left out). After the fixed {@link #COLUMNS}
 * come the validation metrics the epochs carry ({@code val_f1_macro}, {@code val_roc_auc},
 * {@code val_r2}, ...), in their first epoch's order.
 */
public final class HistoryFiles {
  /** The CSV columns, in order (also the JSON keys). */
  public static final String[] COLUMNS = {"epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds",
      "samples", "samples_per_second", "broadcast_seconds", "compute_seconds", "aggregate_seconds", "update_seconds"};

  private HistoryFiles() {
  }

  /** The fixed columns, then {@code val_} and each validation metric name found in {@code h}. */
  public static List<String> columns(History h) {
    Set<String> extra = new LinkedHashSet<>();
    for (EpochLog e : h.epochs()) {
      extra.addAll(e.valMetrics().keySet());
    }
    List<String> out = new ArrayList<>(Arrays.asList(COLUMNS));
    for (String name : extra) {
      if (!name.equals("accuracy")) { // already val_accuracy
        out.add("val_" + name);
      }
    }
    return out;
  }

  /** The values of one epoch in {@code columns} order. */
  static double[] row(EpochLog e, List<String> columns) {
    double[] ph = e.phaseSeconds();
    double[] fixed = {e.epoch(), e.loss(), e.accuracy(), e.valLoss(), e.valAccuracy(), e.learningRate(),
        e.seconds(), e.samples(), e.samplesPerSecond(), phase(ph, Timings.Phase.BROADCAST),
        phase(ph, Timings.Phase.COMPUTE), phase(ph, Timings.Phase.AGGREGATE), phase(ph, Timings.Phase.UPDATE)};
    double[] r = Arrays.copyOf(fixed, columns.size());
    for (int i = fixed.length; i < r.length; i++) {
      Double v = e.valMetrics().get(columns.get(i).substring(4));
      r[i] = v == null ? Double.NaN : v;
    }
    return r;
  }

  private static double phase(double[] ph, Timings.Phase p) {
    return ph != null && ph.length > p.ordinal() ? ph[p.ordinal()] : Double.NaN;
  }

  /** The CSV text. */
  public static String csv(History h) {
    List<String> columns = columns(h);
    StringBuilder b = new StringBuilder(String.join(",", columns)).append('\n');
    for (EpochLog e : h.epochs()) {
      double[] r = row(e, columns);
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
    List<String> columns = columns(h);
    for (EpochLog e : h.epochs()) {
      ObjectNode o = list.addObject();
      double[] r = row(e, columns);
      for (int i = 0; i < r.length; i++) {
        if (Double.isNaN(r[i])) {
          continue;
        }
        if (i == 0 || columns.get(i).equals("samples")) {
          o.put(columns.get(i), (long) r[i]);
        } else {
          o.put(columns.get(i), r[i]);
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
