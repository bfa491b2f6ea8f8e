package io.sparkprop.core.loss;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonTypeIdResolver;
import java.io.Serializable;

/**
 * A loss on the network's raw output. Each per-sample loss is a mean over the sample's outputs
 * (PyTorch's {@code reduction="mean"} divides by the batch too; we return the <em>sum</em> over
 * samples so that partitions add up, and the trainer divides once by the true count).
 * {@link Serializable} so that Spark tasks carry it to the executors as it is.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CUSTOM, property = "type")
@JsonTypeIdResolver(Losses.Resolver.class)
public interface Loss extends Serializable {

  /**
   * Σ over the {@code batch} rows of the per-sample loss of {@code output[batch, width]} against
   * {@code labels[batch, labelWidth]}; writes {@code ∂Σ/∂output} into {@code grad} unless it is
   * null. Sums in double.
   */
  double lossAndGradient(float[] output, float[] labels, int batch, int width, int labelWidth,
                         float[] grad);

  /** Number of rows whose prediction is right (0 for regression losses). */
  long countCorrect(float[] output, float[] labels, int batch, int width, int labelWidth);

  /**
   * True for losses that predict classes (accuracy is reported). Not a JSON property (Jackson
   * would write it as "classification" and then refuse to read it back); the annotation is
   * inherited by every implementation.
   */
  @JsonIgnore
  boolean isClassification();

  /** Whether a label row of this width fits outputs of {@code width}, else a reason. */
  String checkLabelWidth(int labelWidth, int width);

  /** The problem with one label row (e.g. "label 12 is outside [0, 10)"), or null when fine. */
  String checkLabel(float[] labels, int offset, int labelWidth, int width);

  /** Turns raw outputs into predictions in place: probabilities for classifiers. */
  void activateInPlace(float[] output, int batch, int width);
}
