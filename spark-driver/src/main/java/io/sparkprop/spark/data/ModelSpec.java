package io.sparkprop.spark.data;

import io.sparkprop.core.io.Json;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.model.Sequential;
import java.io.Serializable;

/**
 * The architecture and loss of a model as JSON text, so that Spark tasks can carry them to the
 * executors (the core types are records, not {@link Serializable}). The objects are rebuilt
 * lazily, once per deserialised copy.
 */
public final class ModelSpec implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String architectureJson;
  private final String lossJson;
  private transient Sequential architecture;
  private transient Loss loss;

  private ModelSpec(String architectureJson, String lossJson) {
    this.architectureJson = architectureJson;
    this.lossJson = lossJson;
  }

  /** The spec of {@code architecture} trained with {@code loss}. */
  public static ModelSpec of(Sequential architecture, Loss loss) {
    ModelSpec s = new ModelSpec(Json.toJson(architecture), Json.toJson(loss));
    s.architecture = architecture;
    s.loss = loss;
    return s;
  }

  /** The architecture (rebuilt from JSON after deserialisation). */
  public synchronized Sequential architecture() {
    if (architecture == null) {
      architecture = Json.fromJson(architectureJson, Sequential.class);
    }
    return architecture;
  }

  /** The loss (rebuilt from JSON after deserialisation). */
  public synchronized Loss loss() {
    if (loss == null) {
      loss = Json.fromJson(lossJson, Loss.class);
    }
    return loss;
  }

  /** The architecture as JSON text (also stored in checkpoints to check a resume). */
  public String architectureJson() {
    return architectureJson;
  }
}
