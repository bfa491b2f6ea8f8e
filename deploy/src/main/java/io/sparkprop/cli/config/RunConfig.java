package io.sparkprop.cli.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.ModelConfig;
import io.sparkprop.core.train.TrainingConfig;

/**
 * Everything one run needs. Sections left out take their defaults ({@code training},
 * {@code spark}, {@code checkpoint}, {@code output}); {@code model} and {@code data} are required.
 *
 * @param name       short name of the run, used for the output folder (default "run")
 * @param model      the architecture, loss (required here) and initialisation seed (default 42)
 * @param training   the core training settings (optimizer, schedule, epochs, batch size, ...)
 * @param data       where the training, validation and test samples come from
 * @param spark      master, partitions and extra Spark settings
 * @param checkpoint how often to checkpoint
 * @param output     where results are written
 * @param metrics    settings of the reported metrics (top-k's k)
 * @param classWeight {@code training.classWeight} (null: every class weighs 1); read and written
 *                   by {@link ConfigLoader} next to the core training settings
 * @param text       how texts become token ids, for text data (null: the data are numbers)
 */
public record RunConfig(String name, ModelConfig model, TrainingConfig training, DataSpec data, SparkSpec spark,
                        CheckpointSpec checkpoint, OutputSpec output, MetricsSpec metrics,
                        @com.fasterxml.jackson.annotation.JsonIgnore ClassWeight classWeight,
                        @JsonInclude(JsonInclude.Include.NON_NULL) TextSpec text) {

  /** Default metrics, without class weights. */
  public RunConfig(String name, ModelConfig model, TrainingConfig training, DataSpec data, SparkSpec spark,
                   CheckpointSpec checkpoint, OutputSpec output) {
    this(name, model, training, data, spark, checkpoint, output, MetricsSpec.DEFAULTS, null, null);
  }

  /** This config with {@code training.classWeight} set to {@code w} (null: none). */
  public RunConfig withClassWeight(ClassWeight w) {
    return new RunConfig(name, model, training, data, spark, checkpoint, output, metrics, w, text);
  }

  public RunConfig {
    if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("name: expected letters, digits, '.', '_' or '-', got \"" + name + "\"");
    }
    if (model == null) {
      throw new IllegalArgumentException("model: missing; expected {\"layers\": [...], \"loss\": {...}}");
    }
    if (model.loss() == null) {
      throw new IllegalArgumentException("model.loss: missing; expected e.g. {\"type\": \"softmax_cross_entropy\"}");
    }
    if (classWeight != null && !model.loss().isClassification()) {
      throw new IllegalArgumentException("training.classWeight: only for classifiers; the loss "
          + model.loss().getClass().getSimpleName() + " is a regression loss");
    }
    if (training == null || data == null || spark == null || checkpoint == null || output == null
        || metrics == null) {
      throw new IllegalArgumentException("training, data, spark, checkpoint, output and metrics are required");
    }
    boolean validation = data.validation() != null || data.validationSplit() > 0;
    String es = training.earlyStopping() == null ? null : training.earlyStopping().monitor();
    String plateau = training.schedule() instanceof io.sparkprop.core.optim.ReduceOnPlateau r ? r.monitor() : null;
    if (!validation && es != null && es.startsWith("val_")) {
      throw new IllegalArgumentException("training.earlyStopping.monitor: '" + es + "' needs validation data, but "
          + "data.validationSplit is 0 and there is no data.validation (monitor \"loss\", or hold out validation data)");
    }
    if (!validation && plateau != null && plateau.startsWith("val_")) {
      throw new IllegalArgumentException("training.schedule.monitor: '" + plateau + "' needs validation data, but "
          + "data.validationSplit is 0 and there is no data.validation (monitor \"loss\", or hold out validation data)");
    }
    if (text != null) {
      text.check(model);
      if (data.standardize()) {
        throw new IllegalArgumentException("data.standardize: texts become token ids, which are not standardized; "
            + "remove standardize or the text section");
      }
    }
  }

  /** Binds a parsed document, filling the defaults of the sections left out. */
  @JsonCreator
  static RunConfig fromJson(@JsonProperty("name") String name, @JsonProperty("model") ModelConfig model,
                            @JsonProperty("training") TrainingConfig training, @JsonProperty("data") DataSpec data,
                            @JsonProperty("spark") SparkSpec spark, @JsonProperty("checkpoint") CheckpointSpec checkpoint,
                            @JsonProperty("output") OutputSpec output, @JsonProperty("metrics") MetricsSpec metrics,
                            @JsonProperty("text") TextSpec text) {
    if (data == null) {
      throw new IllegalArgumentException("data: missing; expected {\"train\": {\"format\": ...}, ...}");
    }
    if (model != null && model.seed() == null) {
      model = new ModelConfig(model.inputShape(), model.layers(), model.loss(), DEFAULT_MODEL_SEED);
    }
    return new RunConfig(name == null ? "run" : name, model,
        training == null ? TrainingConfig.DEFAULTS : training, data,
        spark == null ? SparkSpec.DEFAULTS : spark,
        checkpoint == null ? CheckpointSpec.DEFAULTS : checkpoint,
        output == null ? OutputSpec.DEFAULTS : output, metrics == null ? MetricsSpec.DEFAULTS : metrics, null, text);
  }

  /** The seed of the initial weights when the config gives none. */
  public static final long DEFAULT_MODEL_SEED = 42L;
}
