package io.sparkprop.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fixed small cases with the values scikit-learn gives for them. The expected numbers were worked
 * out by hand from scikit-learn's definitions (shown beside each), and the regression ones are the
 * examples of scikit-learn's own documentation.
 */
class MetricSumsTest {
  private static final double EPS = 1e-6;

  // Binary: y_true and the predicted probability of class 1.
  private static final float[] BIN_P = {.1f, .4f, .35f, .8f, .7f, .2f, .9f, .45f, .55f};
  private static final float[] BIN_Y = {0, 0, 1, 1, 1, 0, 1, 0, 1};

  private static float logit(float p) {
    return (float) Math.log(p / (1.0 - p));
  }

  /**
   * Predictions (p > 0.5): 0 0 0 1 1 0 1 0 1. Class 0: support 4, predicted 5, right 4; class 1:
   * support 5, predicted 4, right 4.
   */
  private static void assertBinary(Map<String, Double> m) {
    assertThat(m.get("accuracy")).isCloseTo(8 / 9.0, within(EPS));
    assertThat(m.get("log_loss")).isCloseTo(0.4188894252954127, within(EPS)); // -mean log p(true)
    assertThat(m.get("precision_macro")).isCloseTo((0.8 + 1.0) / 2, within(EPS));
    assertThat(m.get("recall_macro")).isCloseTo((1.0 + 0.8) / 2, within(EPS));
    assertThat(m.get("f1_macro")).isCloseTo(8 / 9.0, within(EPS)); // both F1 = 2·0.8·1/1.8
    assertThat(m.get("precision_weighted")).isCloseTo((4 * 0.8 + 5 * 1.0) / 9, within(EPS));
    assertThat(m.get("recall_weighted")).isCloseTo((4 * 1.0 + 5 * 0.8) / 9, within(EPS));
    assertThat(m.get("f1_weighted")).isCloseTo(8 / 9.0, within(EPS));
    // 18 of the 20 (positive, negative) pairs are ordered right: 0.35 is below 0.4 and 0.45
    assertThat(m.get("roc_auc")).isCloseTo(0.9, within(EPS));
    // descending: P P P P N N P N N -> (1 + 1 + 1 + 1 + 5/7) / 5
    assertThat(m.get("pr_auc")).isCloseTo((4 + 5 / 7.0) / 5, within(EPS));
  }

  @Test
  void binaryWithOneSigmoidOutput() {
    float[] z = new float[BIN_P.length];
    for (int i = 0; i < z.length; i++) {
      z[i] = logit(BIN_P[i]);
    }
    ClassificationSums s = new ClassificationSums(2, MetricOptions.DEFAULTS.withTopK(1));
    s.add(z, BIN_Y, z.length, 1, 1);
    assertBinary(s.values());
    assertThat(s.values()).containsKey("top_1_accuracy");
    assertThat(s.values().get("top_1_accuracy")).isCloseTo(8 / 9.0, within(EPS));
  }

  @Test
  void binaryWithTwoSoftmaxOutputsInTwoPartitionsMerged() {
    float[] z = new float[2 * BIN_P.length];
    for (int i = 0; i < BIN_P.length; i++) {
      z[2 * i + 1] = logit(BIN_P[i]); // softmax([0, l]) = [1 - p, p]
    }
    ClassificationSums a = new ClassificationSums(2, MetricOptions.DEFAULTS);
    ClassificationSums b = a.empty();
    a.add(java.util.Arrays.copyOfRange(z, 0, 8), java.util.Arrays.copyOfRange(BIN_Y, 0, 4), 4, 2, 1);
    b.add(java.util.Arrays.copyOfRange(z, 8, z.length), java.util.Arrays.copyOfRange(BIN_Y, 4, 9), 5, 2, 1);
    a.merge(b);
    assertThat(a.count()).isEqualTo(9);
    assertBinary(a.values());
    assertThat(a.values().get("top_5_accuracy")).isEqualTo(1.0);
  }

  /**
   * Three classes, probabilities as the softmax of their logs. Predicted 0 1 1 2 0 2 2 for true
   * 0 1 2 2 1 0 1. Class 0: P 1/2 R 1/2 F1 1/2; class 1: P 1/2 R 1/3 F1 0.4; class 2: P 1/3 R 1/2
   * F1 0.4; supports 2, 3, 2.
   */
  @Test
  void multiclassMatchesScikitLearn() {
    float[][] p = {{.7f, .2f, .1f}, {.3f, .4f, .3f}, {.2f, .5f, .3f}, {.1f, .2f, .7f}, {.6f, .3f, .1f},
        {.2f, .3f, .5f}, {.15f, .05f, .8f}};
    float[] y = {0, 1, 2, 2, 1, 0, 1};
    float[] z = new float[21];
    float[] oneHot = new float[21];
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < 3; j++) {
        z[3 * i + j] = (float) Math.log(p[i][j]);
      }
      oneHot[3 * i + (int) y[i]] = 1;
    }
    ClassificationSums s = new ClassificationSums(3, MetricOptions.DEFAULTS.withTopK(2));
    s.add(z, y, 7, 3, 1);
    ClassificationSums hot = s.empty();
    hot.add(z, oneHot, 7, 3, 3);
    for (Map<String, Double> m : java.util.List.of(s.values(), hot.values())) {
      assertThat(m.get("accuracy")).isCloseTo(3 / 7.0, within(EPS));
      assertThat(m.get("top_2_accuracy")).isCloseTo(5 / 7.0, within(EPS)); // all but rows 5 and 6
      assertThat(m.get("log_loss")).isCloseTo(1.234679487770226, within(EPS));
      assertThat(m.get("precision_macro")).isCloseTo((0.5 + 0.5 + 1 / 3.0) / 3, within(EPS));
      assertThat(m.get("recall_macro")).isCloseTo((0.5 + 1 / 3.0 + 0.5) / 3, within(EPS));
      assertThat(m.get("f1_macro")).isCloseTo((0.5 + 0.4 + 0.4) / 3, within(EPS));
      assertThat(m.get("precision_weighted")).isCloseTo((2 * 0.5 + 3 * 0.5 + 2 / 3.0) / 7, within(EPS));
      assertThat(m.get("recall_weighted")).isCloseTo(3 / 7.0, within(EPS));
      assertThat(m.get("f1_weighted")).isCloseTo((2 * 0.5 + 3 * 0.4 + 2 * 0.4) / 7, within(EPS));
      assertThat(m).doesNotContainKeys("roc_auc", "pr_auc");
    }
    ClassificationReport r = s.report();
    assertThat(r.support()).containsExactly(2, 3, 2);
    assertThat(r.f1()).containsExactly(new double[] {0.5, 0.4, 0.4}, within(EPS));
  }

  /** scikit-learn's documentation examples of mean_squared_error, mean_absolute_error and r2_score. */
  @Test
  void regressionMatchesScikitLearn() {
    RegressionSums a = new RegressionSums(1);
    RegressionSums b = a.empty();
    a.add(new float[] {2.5f, 0f}, new float[] {3f, -0.5f}, 2, 1, 1);
    b.add(new float[] {2f, 8f}, new float[] {2f, 7f}, 2, 1, 1);
    a.merge(b);
    Map<String, Double> m = a.values();
    assertThat(m.get("mse")).isCloseTo(0.375, within(EPS));
    assertThat(m.get("rmse")).isCloseTo(Math.sqrt(0.375), within(EPS));
    assertThat(m.get("mae")).isCloseTo(0.5, within(EPS));
    assertThat(m.get("r2")).isCloseTo(0.9486081370449679, within(EPS));

    RegressionSums two = new RegressionSums(2);
    two.add(new float[] {0, 2, -1, 2, 8, -5}, new float[] {0.5f, 1, -1, 1, 7, -6}, 3, 2, 2);
    assertThat(two.values().get("mse")).isCloseTo(0.7083333333333334, within(EPS));
    assertThat(two.values().get("mae")).isCloseTo(0.75, within(EPS));
    assertThat(two.values().get("r2")).isCloseTo(0.9368005266622779, within(EPS));
  }

  @Test
  void emptySumsHaveNoValues() {
    assertThat(new RegressionSums(1).values()).isEmpty();
    assertThat(new ClassificationSums(3, MetricOptions.DEFAULTS).values()).isEmpty();
  }
}
