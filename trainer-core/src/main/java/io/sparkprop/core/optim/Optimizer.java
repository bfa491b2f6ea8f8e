package io.sparkprop.core.optim;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Optimizer settings (an immutable record); the update itself is in {@link Optimizers}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SGD.class, name = "sgd"),
    @JsonSubTypes.Type(value = Adam.class, name = "adam"),
})
public interface Optimizer {

  /** The base learning rate (schedules multiply it). */
  double learningRate();

  /** How many state arrays of the parameter size this optimizer keeps (momentum, second moment). */
  int slots();
}
