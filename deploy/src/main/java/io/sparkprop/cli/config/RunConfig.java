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
 * @param text       how texts become token ids, for text data (null: the data are numbers)
 */
public record RunConfig(String name, ModelConfig model, TrainingConfig training, DataSpec data, SparkSpec spark,
                        CheckpointSpec checkpoint, OutputSpec output,
                        @JsonInclude(JsonInclude.Include.NON_NULL) TextSpec text) {

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
    if (training == null || data == null || spark == null || checkpoint == null || output == null) {
      throw new IllegalArgumentException("training, data, spark, checkpoint and output are required");
    }
    if (text != null) {
      text.check(model);
      if (data.standardize()) {
        throw new IllegalArgumentException("data.standardize: texts become token ids, which are not standardized; "
            + "remove standardize or the text section");
      }
    }
  }

  /** A config without a text section. */
  public RunConfig(String name, ModelConfig model, TrainingConfig training, DataSpec data, SparkSpec spark,
                   CheckpointSpec checkpoint, OutputSpec output) {
    this(name, model, training, data, spark, checkpoint, output, null);
  }

  /** Binds a parsed document, filling the defaults of the sections left out. */
  @JsonCreator
  static RunConfig fromJson(@JsonProperty("name") String name, @JsonProperty("model") ModelConfig model,
                            @JsonProperty("training") TrainingConfig training, @JsonProperty("data") DataSpec data,
                            @JsonProperty("spark") SparkSpec spark, @JsonProperty("checkpoint") CheckpointSpec checkpoint,
                            @JsonProperty("output") OutputSpec output, @JsonProperty("text") TextSpec text) {
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
        output == null ? OutputSpec.DEFAULTS : output, text);
  }

  /** The seed of the initial weights when the config gives none. */
  public static final long DEFAULT_MODEL_SEED = 42L;
}
