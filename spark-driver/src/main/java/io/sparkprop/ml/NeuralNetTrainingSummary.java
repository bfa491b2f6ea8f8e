package io.sparkprop.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.core.io.FileFormatException;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What training reported, like MLlib's training summaries: {@link #objectiveHistory()} (the
 * mean training loss of each epoch), {@link #totalIterations()} (epochs run) and every per-epoch
 * metric of the core {@link History} (loss, accuracy, val_loss, val_accuracy, lr, timings, and the
 * validation metrics such as val_f1_macro, val_roc_auc or val_r2 when there was validation data), plus
 * the training config that was used. Saved with the model (in {@code model.json}'s
 * {@code "training"} node) and available again after loading.
 */
public final class NeuralNetTrainingSummary {
  private final History history;
  private final TrainingConfig config;

  NeuralNetTrainingSummary(History history, TrainingConfig config) {
    this.history = history.copy();
    this.config = config;
  }

  /** Mean training loss (data loss + penalties) of each epoch, first to last. */
  public double[] objectiveHistory() {
    return history.series("loss");
  }

  /** Number of epochs run (fewer than {@code maxIter} after an early stop). */
  public int totalIterations() {
    return history.epochs().size();
  }

  /**
   * One metric per epoch by Keras name: loss, accuracy, val_loss, val_accuracy, lr, or val_ and a
   * validation metric (val_f1_macro, val_roc_auc, val_r2, ...). NaN where it does not apply.
   */
  public double[] metric(String name) {
    return history.series(name);
  }

  /** The per-epoch logs. */
  public History history() {
    return history.copy();
  }

  /** The training config that was used (after applying the params). */
  public TrainingConfig trainingConfig() {
    return config;
  }

  /** {@code {"config": ..., "epochs": [{"epoch": 1, "loss": ..., ...}]}}; NaN values are written as null. */
  JsonNode toJson() {
    ObjectNode root = Json.mapper().createObjectNode();
    root.set("config", Json.mapper().valueToTree(config));
    ArrayNode epochs = root.putArray("epochs");
    for (EpochLog e : history.epochs()) {
      ObjectNode o = epochs.addObject();
      o.put("epoch", e.epoch());
      number(o, "loss", e.loss());
      number(o, "accuracy", e.accuracy());
      number(o, "valLoss", e.valLoss());
      number(o, "valAccuracy", e.valAccuracy());
      number(o, "learningRate", e.learningRate());
      number(o, "seconds", e.seconds());
      o.put("samples", e.samples());
      ArrayNode phases = o.putArray("phaseSeconds");
      for (double s : e.phaseSeconds()) {
        phases.add(s);
      }
      if (!e.valMetrics().isEmpty()) {
        ObjectNode m = o.putObject("valMetrics");
        e.valMetrics().forEach((k, v) -> number(m, k, v));
      }
    }
    return root;
  }

  /** Reads {@link #toJson()}'s form; {@code source} names the file in errors. */
  static NeuralNetTrainingSummary fromJson(JsonNode root, String source) throws FileFormatException {
    JsonNode epochs = root.get("epochs");
    JsonNode config = root.get("config");
    if (epochs == null || !epochs.isArray() || config == null) {
      throw new FileFormatException(source, "\"training\" must hold \"config\" and an \"epochs\" list");
    }
    List<EpochLog> logs = new ArrayList<>();
    for (JsonNode o : epochs) {
      JsonNode ph = o.path("phaseSeconds");
      double[] phases = new double[ph.size()];
      for (int i = 0; i < phases.length; i++) {
        phases[i] = ph.get(i).asDouble();
      }
      java.util.Map<String, Double> metrics = new java.util.LinkedHashMap<>();
      o.path("valMetrics").fieldNames().forEachRemaining(k -> metrics.put(k, number(o.get("valMetrics"), k)));
      logs.add(new EpochLog(o.path("epoch").asInt(), number(o, "loss"), number(o, "accuracy"), number(o, "valLoss"),
          number(o, "valAccuracy"), number(o, "learningRate"), number(o, "seconds"), o.path("samples").asLong(),
          phases, metrics));
    }
    return new NeuralNetTrainingSummary(new History(logs),
        Json.treeToValue(config, TrainingConfig.class, source + " (training.config)"));
  }

  private static void number(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  private static double number(JsonNode o, String key) {
    JsonNode v = o.get(key);
    return v == null || v.isNull() ? Double.NaN : v.asDouble();
  }
}
