package io.sparkprop.core.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.data.Preprocessing;
import io.sparkprop.core.layer.Conv2D;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.Flatten;
import io.sparkprop.core.layer.GRU;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.layer.Tanh;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.SigmoidBinaryCrossEntropy;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * The exported graph takes raw features: ONNX Runtime on raw samples against sparkprop's predict
 * on the same samples standardised by {@link Preprocessing}; the label mapping is an output and
 * metadata.
 */
class OnnxPreprocessingTest {
  private static final int N = 128;

  @Test
  void standardisationOfImageSamplesAndTheLabelOfTheArgmax() throws Exception {
    Shape image = Shape.of(2, 5, 5);
    Model m = Model.init(Sequential.of(image, new Conv2D(3, 3), new ReLU(), new Flatten(), new Dense(4)),
        new SoftmaxCrossEntropy(), 3);
    Preprocessing pre = new Preprocessing(ramp(50, -4, 0.3), ramp(50, 0.2, 0.05), new double[] {1, 2.5, 10, 40});
    check(m, pre);
  }

  @Test
  void aSigmoidClassifierMapsItsTwoLabelsAndAConstantFeatureBecomesZero() throws Exception {
    Model m = Model.init(Sequential.of(Shape.of(6), new Dense(5), new Tanh(), new Dense(1)),
        new SigmoidBinaryCrossEntropy(), 4);
    double[] scale = ramp(6, 0.5, 0.1);
    scale[2] = 0;
    check(m, new Preprocessing(ramp(6, 10, -3), scale, new double[] {-1, 1}));
  }

  @Test
  void labelsWithoutStandardisation() throws Exception {
    Model m = Model.init(Sequential.of(Shape.of(6), new Dense(3)), new SoftmaxCrossEntropy(), 5);
    check(m, new Preprocessing(null, null, new double[] {3, 5, 8}));
  }

  @Test
  void aClassWithoutATrainingLabelIsNaN() throws Exception {
    Model m = Model.init(Sequential.of(Shape.of(6), new Dense(3)), new SoftmaxCrossEntropy(), 5);
    double[] labels = {3, 5};
    float[] x = new float[N * 6];
    Rng rng = new Rng(2);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (3 * rng.nextGaussian());
    }
    OnnxRuntimeCheck.Run run = OnnxRuntimeCheck.run(OnnxExport.toBytes(m, new Preprocessing(null, null, labels),
        null), x, N, new int[] {6});
    int[] classes = m.predictClasses(x, N);
    double[] label = run.doubles().get(OnnxExport.LABEL);
    int nan = 0;
    for (int i = 0; i < N; i++) {
      if (classes[i] < 2) {
        assertThat(label[i]).isEqualTo(labels[classes[i]]);
      } else {
        assertThat(label[i]).isNaN();
        nan++;
      }
    }
    assertThat(nan).isPositive();
  }

  @Test
  void stringLabelsAreMetadataOnlyWithoutALabelOutput() throws Exception {
    Model m = Model.init(Sequential.of(Shape.of(6), new Dense(3)), new SoftmaxCrossEntropy(), 5);
    Preprocessing pre = new Preprocessing(ramp(6, 1, 0.5), ramp(6, 0.5, 0.1), null,
        new String[] {"setosa", "versicolor", "virginica"});
    float[] raw = new float[N * 6];
    Rng rng = new Rng(4);
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (float) (2 * rng.nextGaussian());
    }
    float[] x = raw.clone();
    pre.standardize(x, N);
    OnnxRuntimeCheck.Run run = OnnxRuntimeCheck.run(OnnxExport.toBytes(m, pre, null), raw, N, new int[] {6});
    assertThat(OnnxRuntimeCheck.maxAbsDiff(run.outputs().get(OnnxExport.PROBABILITIES), m.predict(x, N)))
        .isLessThanOrEqualTo(1e-5);
    assertThat(run.doubles()).doesNotContainKey(OnnxExport.LABEL);
    assertThat(run.metadata()).containsEntry(OnnxExport.LABELS_KEY, "[\"setosa\",\"versicolor\",\"virginica\"]");
    assertThat(run.metadata().get("sparkprop.preprocessing")).contains("\"labelStrings\"");
  }

  @Test
  void standardisingTokenIdsOrTheWrongWidthFailsNamingTheMismatch() {
    Model tokens = Model.init(Sequential.of(Shape.of(4), new Embedding(9, 3), new GRU(2), new Dense(2)),
        new SoftmaxCrossEntropy(), 1);
    Preprocessing four = new Preprocessing(new double[4], new double[4], null);
    assertThatThrownBy(() -> OnnxExport.toBytes(tokens, four, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("standardises 4 features but the model takes token ids (4)");
    Model flat = Model.init(Sequential.of(Shape.of(6), new Dense(3)), new SoftmaxCrossEntropy(), 5);
    assertThatThrownBy(() -> OnnxExport.toBytes(flat, four, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("standardises 4 features but the model takes (6)");
  }

  private static void check(Model m, Preprocessing pre) throws Exception {
    int f = m.architecture().inputShape().size();
    Rng rng = new Rng(8);
    float[] raw = new float[N * f];
    for (int i = 0; i < raw.length; i++) {
      double mean = pre.mean() == null ? 0 : pre.mean()[i % f];
      raw[i] = (float) (mean + 3 * rng.nextGaussian());
    }
    float[] x = raw.clone();
    pre.standardize(x, N);
    OnnxRuntimeCheck.Run run = OnnxRuntimeCheck.run(OnnxExport.toBytes(m, pre, null), raw, N,
        m.architecture().inputShape().dims());
    assertThat(OnnxRuntimeCheck.maxAbsDiff(run.outputs().get(OnnxExport.PROBABILITIES), m.predict(x, N)))
        .isLessThanOrEqualTo(1e-5);
    int[] classes = m.predictClasses(x, N);
    double[] label = run.doubles().get(OnnxExport.LABEL);
    assertThat(label).hasSize(N);
    java.util.Set<Double> seen = new java.util.HashSet<>();
    for (int i = 0; i < N; i++) {
      assertThat(label[i]).as("row %d", i).isEqualTo(pre.label(classes[i]));
      seen.add(label[i]);
    }
    assertThat(seen).as("more than one class predicted").hasSizeGreaterThan(1);
    assertThat(run.metadata()).containsKey("sparkprop.preprocessing")
        .containsEntry(OnnxExport.LABELS_KEY, io.sparkprop.core.io.Json.toJson(pre.labels()));
  }

  private static double[] ramp(int n, double from, double step) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = from + step * i;
    }
    return v;
  }
}
