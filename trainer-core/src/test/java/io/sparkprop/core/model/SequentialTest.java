package io.sparkprop.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.Flatten;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.layer.LayerModel;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.tensor.Shape;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Shape inference, the flat parameter layout, the summary table, errors and initial parameters. */
class SequentialTest {

  static Sequential imageMlp() {
    return Sequential.of(Shape.of(2, 3, 4), new Flatten(), new Dense(5), new ReLU(), new Dropout(0.5),
        new Dense(3, false, null, null, null), new Dense(2));
  }

  @Test
  void infersEveryShape() {
    Sequential s = imageMlp();
    assertThat(s.shapes()).containsExactly(Shape.of(2, 3, 4), Shape.of(24), Shape.of(5), Shape.of(5), Shape.of(5),
        Shape.of(3), Shape.of(2));
    assertThat(s.outputShape()).isEqualTo(Shape.of(2));
    assertThat(s.network().inputSize()).isEqualTo(24);
    assertThat(s.network().outputSize()).isEqualTo(2);
  }

  @Test
  void laysOutTensorsInLayerOrder() {
    ParamLayout layout = imageMlp().layout();
    List<ParamLayout.Entry> e = layout.entries();
    assertThat(e).hasSize(5);
    assertThat(e.get(0)).extracting(ParamLayout.Entry::layer, x -> x.spec().name(), ParamLayout.Entry::offset)
        .containsExactly(1, "kernel", 0);
    assertThat(e.get(0).spec().shape()).isEqualTo(Shape.of(24, 5));
    assertThat(e.get(0).spec().fanIn()).isEqualTo(24);
    assertThat(e.get(0).spec().fanOut()).isEqualTo(5);
    assertThat(e.get(1)).extracting(ParamLayout.Entry::layer, x -> x.spec().name(), ParamLayout.Entry::offset)
        .containsExactly(1, "bias", 120);
    assertThat(e.get(2)).extracting(ParamLayout.Entry::layer, x -> x.spec().name(), ParamLayout.Entry::offset)
        .containsExactly(4, "kernel", 125);
    assertThat(e.get(3)).extracting(ParamLayout.Entry::layer, x -> x.spec().name(), ParamLayout.Entry::offset)
        .containsExactly(5, "kernel", 140);
    assertThat(e.get(4)).extracting(ParamLayout.Entry::layer, x -> x.spec().name(), ParamLayout.Entry::offset)
        .containsExactly(5, "bias", 146);
    assertThat(layout.size()).isEqualTo(148);
    assertThat(layout.trainableSize()).isEqualTo(148);
    assertThat(imageMlp().paramCount()).isEqualTo(148);
    assertThat(layout.trainableRanges()).containsExactly(0, 148);
    assertThat(layout.stateRanges()).isEmpty();
    assertThat(layout.offset(5, "bias")).isEqualTo(146);
    assertThat(layout.ofLayer(2)).isEmpty();
    assertThatThrownBy(() -> layout.offset(4, "bias")).hasMessageContaining("layer 4 has no tensor 'bias'");
    assertThat(layout.describe()).contains("1/kernel [24, 5] @0\n", "1/bias [5] @120\n", "4/kernel [5, 3] @125\n");
  }

  @Test
  void stateTensorsAreKeptOutOfTrainableRanges() {
    ParamLayout layout = new ParamLayout(List.of(
        List.of(TensorSpec.trainable("kernel", Shape.of(2, 3), Initializer.GLOROT_UNIFORM, 2, 3)),
        List.of(TensorSpec.trainable("gamma", Shape.of(3), Initializer.ONES, 1, 1),
            TensorSpec.state("running_mean", Shape.of(3), Initializer.ZEROS, 0.1)),
        List.of(TensorSpec.trainable("kernel", Shape.of(3, 1), Initializer.GLOROT_UNIFORM, 3, 1))));
    assertThat(layout.trainableRanges()).containsExactly(0, 9, 12, 15);
    assertThat(layout.stateRanges()).containsExactly(9, 12);
    assertThat(layout.trainableSize()).isEqualTo(12);
    assertThat(layout.describe()).contains("1/running_mean [3] @9 state\n");
  }

  @Test
  void summaryIsAKerasStyleTable() {
    String s = Sequential.of(Shape.of(784), new Dense(128), new ReLU(), new Dense(10)).summary();
    assertThat(s).contains("Layer (type)", "Output Shape", "Param #");
    assertThat(s).containsPattern("input +\\(None, 784\\) +0\n");
    assertThat(s).containsPattern("dense_0 \\(Dense\\) +\\(None, 128\\) +100480\n");
    assertThat(s).containsPattern("relu_1 \\(ReLU\\) +\\(None, 128\\) +0\n");
    assertThat(s).containsPattern("dense_2 \\(Dense\\) +\\(None, 10\\) +1290\n");
    assertThat(s).contains("Total params: 101,770 (397.54 KB)\n", "Trainable params: 101,770\n",
        "Non-trainable params: 0\n");
    String image = imageMlp().summary();
    assertThat(image).containsPattern("input +\\(None, 2, 3, 4\\) +0\n");
    assertThat(image).containsPattern("flatten_0 \\(Flatten\\) +\\(None, 24\\) +0\n");
    assertThat(image).contains("Total params: 148 (0.58 KB)\n");
  }

  @Test
  void summaryDoesNotDependOnTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      String s = Sequential.of(Shape.of(784), new Dense(128), new ReLU(), new Dense(10)).summary();
      assertThat(s).contains("Total params: 101,770 (397.54 KB)\n");
    } finally {
      Locale.setDefault(saved);
    }
  }

  /** A layer that, like a convolution, needs (C, H, W) input. */
  record NeedsImage() implements Layer {
    @Override
    public Shape outputShape(Shape input) {
      if (input.rank() != 3) {
        throw new IllegalArgumentException("needs a (channels, height, width) input, got rank " + input.rank());
      }
      return input;
    }

    @Override
    public LayerModel bind(Shape input, ParamLayout layout, int index) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String kind() {
      return "needs_image";
    }
  }

  @Test
  void clearErrorWhenALayerCannotTakeItsInput() {
    assertThatThrownBy(() -> Sequential.of(Shape.of(1, 4, 4), new Flatten(), new NeedsImage()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layer 1 (needs_image) cannot take input (16)")
        .hasMessageContaining("needs a (channels, height, width) input, got rank 1");
    assertThat(Sequential.of(Shape.of(1, 4, 4), new NeedsImage(), new Flatten()).outputShape()).isEqualTo(Shape.of(16));
    assertThatThrownBy(() -> new Sequential(null, List.of(new ReLU()))).hasMessageContaining("needs an input shape");
    assertThatThrownBy(() -> new Sequential(Shape.of(3), List.of())).hasMessageContaining("at least one layer");
    assertThatThrownBy(() -> new Dense(0)).hasMessageContaining("units must be positive");
    assertThatThrownBy(() -> new Dropout(1.0)).hasMessageContaining("[0, 1)");
    assertThatThrownBy(() -> Shape.of(3, 0)).hasMessageContaining("positive");
  }

  @Test
  void initialParamsAreSeeded() {
    Sequential s = Sequential.of(Shape.of(4), new Dense(4), new Dense(4));
    float[] a = s.initialParams(1);
    assertThat(s.initialParams(1)).containsExactly(a);
    assertThat(s.initialParams(2)).isNotEqualTo(a);
    // two kernels of the same shape are not the same draw
    float[] k0 = java.util.Arrays.copyOfRange(a, 0, 16);
    float[] k1 = java.util.Arrays.copyOfRange(a, 20, 36);
    assertThat(k1).isNotEqualTo(k0);
    // biases start at zero
    for (int i = 16; i < 20; i++) {
      assertThat(a[i]).isZero();
    }
  }

  /** Mean and variance of the kernel of Dense(out) on 784 inputs drawn with {@code init}. */
  static double[] kernelMoments(Initializer init, int out, long seed) {
    Sequential s = Sequential.of(Shape.of(784), new Dense(out).withInitializer(init));
    float[] p = s.initialParams(seed);
    int n = 784 * out;
    double sum = 0;
    double sq = 0;
    double max = 0;
    for (int i = 0; i < n; i++) {
      sum += p[i];
      sq += (double) p[i] * p[i];
      max = Math.max(max, Math.abs(p[i]));
    }
    for (int i = n; i < p.length; i++) {
      assertThat(p[i]).isZero();
    }
    double mean = sum / n;
    return new double[] {mean, sq / n - mean * mean, max};
  }

  /**
   * Statistical checks on 100,352 draws: the variance within 5% of its target (its sampling error
   * is below 0.5%), the mean within 0.01·std, the range within the limit or truncation point.
   */
  @Test
  void initializersHaveTheirKerasScale() {
    int fanIn = 784;
    int fanOut = 128;
    double glorotLimit = Math.sqrt(6.0 / (fanIn + fanOut));
    double[] gu = kernelMoments(Initializer.GLOROT_UNIFORM, fanOut, 5);
    assertThat(gu[1]).isCloseTo(glorotLimit * glorotLimit / 3, org.assertj.core.data.Percentage.withPercentage(5));
    assertThat(gu[2]).isLessThanOrEqualTo(glorotLimit).isGreaterThan(0.99 * glorotLimit);
    assertThat(Math.abs(gu[0])).isLessThan(0.01 * Math.sqrt(gu[1]));

    double heLimit = Math.sqrt(6.0 / fanIn);
    double[] hu = kernelMoments(Initializer.HE_UNIFORM, fanOut, 6);
    assertThat(hu[1]).isCloseTo(2.0 / fanIn, org.assertj.core.data.Percentage.withPercentage(5));
    assertThat(hu[2]).isLessThanOrEqualTo(heLimit).isGreaterThan(0.99 * heLimit);

    double[] gn = kernelMoments(Initializer.GLOROT_NORMAL, fanOut, 7);
    double gStd = Math.sqrt(2.0 / (fanIn + fanOut));
    assertThat(gn[1]).isCloseTo(gStd * gStd, org.assertj.core.data.Percentage.withPercentage(5));
    // truncated at two standard deviations of the (rescaled) normal
    assertThat(gn[2]).isLessThanOrEqualTo(2 * gStd / 0.87962566103423978 + 1e-7);
    assertThat(Math.abs(gn[0])).isLessThan(0.01 * gStd);

    double[] hn = kernelMoments(Initializer.HE_NORMAL, fanOut, 8);
    double hStd = Math.sqrt(2.0 / fanIn);
    assertThat(hn[1]).isCloseTo(hStd * hStd, org.assertj.core.data.Percentage.withPercentage(5));
    assertThat(hn[2]).isLessThanOrEqualTo(2 * hStd / 0.87962566103423978 + 1e-7);
  }
}
