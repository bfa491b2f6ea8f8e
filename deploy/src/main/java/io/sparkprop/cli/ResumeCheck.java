package io.sparkprop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.cli.config.ConfigException;
import io.sparkprop.cli.config.ConfigLoader;
import io.sparkprop.cli.config.RunConfig;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.model.Model;
import io.sparkprop.spark.checkpoint.Checkpoint;
import io.sparkprop.spark.checkpoint.HadoopCheckpoints;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code --resume} checked before epoch 1: a continuation is only the interrupted run when the
 * model, seed and optimizer are the same (otherwise an error, whatever the flags), and the data
 * size, batch size and {@code data.limit} are too (otherwise it is a different run, accepted only
 * with {@code --force}). The model, seed and optimizer slots come from the checkpoint; batch size,
 * limit and optimizer settings from the interrupted run's {@code config.json} beside the
 * checkpoint (when the checkpoint is in a run folder); the data size from the samples of the
 * checkpoint's first epoch against a count of the training rows.
 */
final class ResumeCheck {
  private ResumeCheck() {
  }

  static void check(Configuration conf, String resume, Model model, RunConfig cfg, Dataset<Row> train,
                    boolean force) {
    Checkpoint c = HadoopCheckpoints.readLatest(conf, resume).checkpoint();
    String arch = Json.toJson(model.architecture());
    String what = "--resume " + resume + ": ";
    if (!c.architectureJson().equals(arch)) {
      throw new ConfigException(what + "the checkpoint holds another model (" + c.params().length
          + " parameters: " + abbreviate(c.architectureJson()) + "); the config's has " + model.params().length
          + " (" + abbreviate(arch) + ")");
    }
    if (c.seed() != cfg.training().seed()) {
      throw new ConfigException(what + "the interrupted run had training.seed " + c.seed() + ", the config has "
          + cfg.training().seed() + "; the shuffles would not continue that run");
    }
    int slots = cfg.training().optimizer().slots();
    if (c.state().optimizer().slotCount() != slots) {
      throw new ConfigException(what + "the checkpoint holds the state of an optimizer with "
          + c.state().optimizer().slotCount() + " slots; the config's " + Json.toJson(cfg.training().optimizer())
          + " has " + slots);
    }
    JsonNode before = runConfig(conf, resume);
    JsonNode now;
    try {
      now = Json.mapper().readTree(ConfigLoader.toJson(cfg));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (before != null) {
      String oldType = before.at("/training/optimizer/type").asText();
      String newType = now.at("/training/optimizer/type").asText();
      if (!oldType.equals(newType)) {
        throw new ConfigException(what + "the interrupted run used the " + oldType + " optimizer, the config "
            + newType);
      }
    }
    List<String> differences = new ArrayList<>();
    if (before != null) {
      differ(differences, "training.batchSize", before.at("/training/batchSize"), now.at("/training/batchSize"));
      differ(differences, "data.limit", before.at("/data/limit"), now.at("/data/limit"));
      differ(differences, "training.optimizer", before.at("/training/optimizer"), now.at("/training/optimizer"));
    }
    if (!c.state().history().epochs().isEmpty()) {
      long was = c.state().history().epochs().get(0).samples();
      long is = train.count();
      if (was != is) {
        differences.add("training rows " + was + " then, " + is + " now");
      }
    }
    if (!differences.isEmpty() && !force) {
      throw new ConfigException(what + "this would be a different run than the interrupted one ("
          + String.join("; ", differences) + "); pass --force to continue anyway");
    }
  }

  private static void differ(List<String> out, String key, JsonNode before, JsonNode now) {
    if (!before.isMissingNode() && !before.equals(now)) {
      out.add(key + " " + before + " then, " + now + " now");
    }
  }

  /** The interrupted run's {@code config.json} beside the checkpoint, or null. */
  private static JsonNode runConfig(Configuration conf, String checkpoint) {
    try {
      Path p = new Path(new Path(checkpoint).getParent(), "config.json");
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return null;
      }
      try (InputStream in = fs.open(p)) {
        return Json.mapper().readTree(in);
      }
    } catch (IOException | IllegalArgumentException e) {
      return null; // no run folder around the checkpoint: only the checkpoint's own checks apply
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 160 ? s : s.substring(0, 157) + "...";
  }
}
