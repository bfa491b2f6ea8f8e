package io.sparkprop.spark.data;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
      .build();
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
    try {
      ModelSpec s = new ModelSpec(MAPPER.writeValueAsString(architecture),
          MAPPER.writerFor(Loss.class).writeValueAsString(loss));
      s.architecture = architecture;
      s.loss = loss;
      return s;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the model as JSON: " + e.getMessage(), e);
    }
  }

  /** The architecture (rebuilt from JSON after deserialisation). */
  public synchronized Sequential architecture() {
    if (architecture == null) {
      architecture = read(architectureJson, Sequential.class);
    }
    return architecture;
  }

  /** The loss (rebuilt from JSON after deserialisation). */
  public synchronized Loss loss() {
    if (loss == null) {
      loss = read(lossJson, Loss.class);
    }
    return loss;
  }

  /** The architecture as JSON text (also stored in checkpoints to check a resume). */
  public String architectureJson() {
    return architectureJson;
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read the model JSON " + json + ": " + e.getMessage(), e);
    }
  }
}
