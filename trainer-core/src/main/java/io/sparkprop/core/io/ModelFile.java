package io.sparkprop.core.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;

/**
 * The content of {@code model.json}: everything about a saved model except the parameter values.
 *
 * @param format        always {@value #FORMAT}
 * @param formatVersion the model format version ({@value #VERSION} in this build)
 * @param architecture  the layers and input shape
 * @param loss          the loss (it also turns raw outputs into predictions)
 * @param paramCount    number of floats in {@code params.bin}
 * @param paramsCrc32   CRC32 of the {@code params.bin} data, so a {@code model.json} and a
 *                      {@code params.bin} from different saves are never mixed up
 * @param training      free-form JSON: how the model was trained (config, history); may be null
 */
public record ModelFile(String format, int formatVersion, Sequential architecture, Loss loss, int paramCount,
                        long paramsCrc32, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode training) {
  /** The format name in every {@code model.json}. */
  public static final String FORMAT = "sparkprop-model";
  /** The model format version this build writes (and the newest it reads). */
  public static final int VERSION = 2;
  /**
   * The field, written last, holding the CRC32 (8 hex digits) of the rest of {@code model.json};
   * required from version 2 (version 1 files have none and load without this check).
   */
  public static final String JSON_CRC = "jsonCrc32";

  /** Treats {@code "training": null} as absent. */
  public ModelFile {
    training = training == null || training.isNull() || training.isMissingNode() ? null : training;
  }

  /** The description of {@code model} in the current format, with optional training information. */
  public static ModelFile of(Model model, JsonNode training) {
    return new ModelFile(FORMAT, VERSION, model.architecture(), model.loss(), model.params().length,
        ParamsFile.crc32(model.params()), training);
  }
}
