package io.sparkprop.core.optim;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Optimizer settings (an immutable record); the update itself is in {@link Optimizers}. In JSON
 * the {@code type} names the optimizer ({@code sgd}, {@code adam}, {@code adamw}, {@code rmsprop},
 * {@code adagrad}); keys left out take PyTorch's defaults.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SGD.class, name = "sgd"),
    @JsonSubTypes.Type(value = Adam.class, name = "adam"),
    @JsonSubTypes.Type(value = AdamW.class, name = "adamw"),
    @JsonSubTypes.Type(value = RMSProp.class, name = "rmsprop"),
    @JsonSubTypes.Type(value = Adagrad.class, name = "adagrad"),
})
public interface Optimizer {

  /** The base learning rate (schedules multiply it). */
  double learningRate();

  /** How many state arrays of the parameter size this optimizer keeps (momentum, second moment). */
  int slots();

  /** The value slot {@code slot} starts at (0 except Adagrad's accumulator). */
  default float initialSlotValue(int slot) {
    return 0f;
  }
}
