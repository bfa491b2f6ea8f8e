package io.sparkprop.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.testing.Golden;
import io.sparkprop.core.testing.GradientCheck.Tolerance;
import org.junit.jupiter.api.Test;

class PoolingTest {

  @Test
  void maxPoolGradientsMatchFiniteDifferences() {
    Layer[] pools = {
        new MaxPool2D(2),
        new MaxPool2D(3, 2, Padding.VALID),
        new MaxPool2D(2, 1, Padding.VALID),
        new MaxPool2D(3, 2, Padding.SAME),
        new MaxPool2D(2, 2, Padding.SAME),
    };
    for (Layer pool : pools) {
      Sequential arch = Sequential.of(Shape.of(2, 5, 7), pool);
      int batch = 2;
      // Values 0.05 apart, step 0.01: no maximum changes place inside a difference.
      float[] x = CnnTesting.distinct(batch * 70, 0.05, 3);
      CnnTesting.check(arch, new float[0], x, batch, true, new Tolerance(0.01, 1e-3, 1e-4));
    }
  }

  @Test
  void avgPoolGradientsMatchFiniteDifferences() {
    Layer[] pools = {
        new AvgPool2D(2),
        new AvgPool2D(3, 2, Padding.VALID),
        new AvgPool2D(3, 2, Padding.SAME),
        new AvgPool2D(2, 1, Padding.SAME),
        new GlobalAveragePooling2D(),
    };
    for (Layer pool : pools) {
      Sequential arch = Sequential.of(Shape.of(2, 5, 7), pool);
      int batch = 2;
      float[] x = CnnTesting.uniform(batch * 70, 4);
      CnnTesting.check(arch, new float[0], x, batch, true, new Tolerance(0.05, 1e-3, 1e-4));
    }
  }

  @Test
  void poolingWithoutPaddingDropsTheLastRowAndColumn() {
    // One 5x5 plane holding 0..24: 2x2 windows cover rows/cols 0-3 only.
    float[] x = new float[25];
    for (int i = 0; i < 25; i++) {
      x[i] = i;
    }
    Sequential max = Sequential.of(Shape.of(1, 5, 5), new MaxPool2D(2));
    assertThat(max.outputShape()).isEqualTo(Shape.of(1, 2, 2));
    assertThat(max.network().forward(new float[0], x, 1, false, 0L)).containsExactly(6, 8, 16, 18);
    Sequential avg = Sequential.of(Shape.of(1, 5, 5), new AvgPool2D(2));
    assertThat(avg.network().forward(new float[0], x, 1, false, 0L)).containsExactly(3, 5, 13, 15);
    // same padding keeps them: out = ceil(5/2) = 3, the last window holds the real cells only
    Sequential same = Sequential.of(Shape.of(1, 5, 5), new AvgPool2D(2, 2, Padding.SAME));
    assertThat(same.network().forward(new float[0], x, 1, false, 0L))
        .containsExactly(3, 5, 6.5f, 13, 15, 16.5f, 20.5f, 22.5f, 24);
    Sequential gap = Sequential.of(Shape.of(1, 5, 5), new GlobalAveragePooling2D());
    assertThat(gap.outputShape()).isEqualTo(Shape.of(1));
    assertThat(gap.network().forward(new float[0], x, 1, false, 0L)).containsExactly(12);
  }

  @Test
  void avgPoolMatchesGolden() {
    Golden g = Golden.load("avg_pool2d");
    assertThat(g.node("size").asInt()).isEqualTo(2);
    assertThat(g.node("stride").asInt()).isEqualTo(2);
    assertThat(g.node("padding").asInt()).isZero();
    int[] s = g.tensor("input").shape();
    Sequential arch = Sequential.of(Shape.of(s[1], s[2], s[3]), new AvgPool2D(2));
    Network net = arch.network();
    float[] y = net.forward(new float[0], g.tensor("input").floats(), s[0], true, 0L);
    CnnTesting.assertClose("output", y, 0, 1, CnnTesting.values(g.node("expected_output")), 1e-5);
    float[] dx = new float[s[0] * s[1] * s[2] * s[3]];
    net.backward(new float[0], g.tensor("upstream_gradient").floats(), new float[0], dx, s[0], true);
    CnnTesting.assertClose("input gradient", dx, 0, 1, CnnTesting.values(g.node("expected_input_gradient")), 1e-5);
  }

  @Test
  void defaultsAndErrors() {
    assertThat(new MaxPool2D(3)).isEqualTo(new MaxPool2D(3, 3, Padding.VALID));
    assertThat(new AvgPool2D(2)).isEqualTo(new AvgPool2D(2, 2, Padding.VALID));
    assertThatThrownBy(() -> Sequential.of(Shape.of(10), new MaxPool2D(2)))
        .hasMessageContaining("MaxPool2D needs image input of shape (channels, height, width), got (10)");
    assertThatThrownBy(() -> Sequential.of(Shape.of(4, 4), new GlobalAveragePooling2D()))
        .hasMessageContaining("GlobalAveragePooling2D needs image input");
    assertThatThrownBy(() -> new AvgPool2D(0)).hasMessageContaining("size and stride must be positive");
  }
}
