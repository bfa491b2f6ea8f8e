package io.sparkprop.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.testing.GradientCheck.Tolerance;
import org.junit.jupiter.api.Test;

class Conv2DTest {

  /** Direct convolution in double with explicit padding: the definition, for comparison. */
  static double[] reference(float[] x, int batch, int c, int h, int w, float[] kernel, float[] bias, int f, int k,
                            int stride, int padTop, int padLeft, int outH, int outW) {
    double[] y = new double[batch * f * outH * outW];
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < f; o++) {
        for (int oh = 0; oh < outH; oh++) {
          for (int ow = 0; ow < outW; ow++) {
            double s = bias == null ? 0 : bias[o];
            for (int ci = 0; ci < c; ci++) {
              for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                  int ih = oh * stride - padTop + i;
                  int iw = ow * stride - padLeft + j;
                  if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                    s += (double) kernel[((o * c + ci) * k + i) * k + j] * x[((b * c + ci) * h + ih) * w + iw];
                  }
                }
              }
            }
            y[((b * f + o) * outH + oh) * outW + ow] = s;
          }
        }
      }
    }
    return y;
  }

  private static void assertForwardMatchesDefinition(int c, int h, int w, Conv2D conv, int padTop, int padLeft,
                                                     int outH, int outW) {
    Sequential arch = Sequential.of(Shape.of(c, h, w), conv);
    assertThat(arch.outputShape()).isEqualTo(Shape.of(conv.filters(), outH, outW));
    int batch = 3;
    float[] p = arch.initialParams(1);
    ParamLayout layout = arch.layout();
    float[] kernel = java.util.Arrays.copyOfRange(p, layout.offset(0, "kernel"),
        layout.offset(0, "kernel") + conv.filters() * c * conv.kernelSize() * conv.kernelSize());
    float[] bias = null;
    if (conv.useBias()) {
      int b = layout.offset(0, "bias");
      for (int i = 0; i < conv.filters(); i++) {
        p[b + i] = 0.1f * (i + 1);
      }
      bias = java.util.Arrays.copyOfRange(p, b, b + conv.filters());
    }
    float[] x = CnnTesting.uniform(batch * c * h * w, 3);
    float[] y = arch.network().forward(p, x, batch, true, 0L);
    double[] expected = reference(x, batch, c, h, w, kernel, bias, conv.filters(), conv.kernelSize(),
        conv.stride(), padTop, padLeft, outH, outW);
    CnnTesting.assertClose("conv " + conv, y, 0, 1, expected, 1e-5);
  }

  @Test
  void forwardMatchesTheDefinitionForEveryPaddingAndStride() {
    // valid: out = floor((in - k)/s) + 1
    assertForwardMatchesDefinition(2, 7, 6, new Conv2D(3, 3), 0, 0, 5, 4);
    assertForwardMatchesDefinition(2, 7, 6, new Conv2D(3, 3).withStride(2), 0, 0, 3, 2);
    // same, stride 1, odd kernel: pad (k-1)/2 each side
    assertForwardMatchesDefinition(2, 7, 6, new Conv2D(4, 3).withPadding(Padding.SAME), 1, 1, 7, 6);
    // same, stride 2: out = ceil(in/2); 7 rows: total (4-1)*2+3-7 = 2 -> 1 before; 6 cols: (3-1)*2+3-6 = 1 -> 0 before
    assertForwardMatchesDefinition(2, 7, 6, new Conv2D(4, 3).withStride(2).withPadding(Padding.SAME), 1, 0, 4, 3);
    // same, even kernel: total 3 -> 1 before, 2 after (TensorFlow's rule)
    assertForwardMatchesDefinition(1, 5, 5, new Conv2D(2, 4).withPadding(Padding.SAME).withBias(false), 1, 1, 5, 5);
    // 1x1 kernel
    assertForwardMatchesDefinition(3, 4, 4, new Conv2D(2, 1), 0, 0, 4, 4);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Conv2D[] convs = {
        new Conv2D(3, 3),
        new Conv2D(2, 3).withStride(2),
        new Conv2D(3, 3).withPadding(Padding.SAME),
        new Conv2D(2, 3).withStride(2).withPadding(Padding.SAME),
        new Conv2D(2, 2).withPadding(Padding.SAME).withBias(false),
        new Conv2D(2, 4).withStride(3).withPadding(Padding.SAME),
    };
    for (Conv2D conv : convs) {
      Sequential arch = Sequential.of(Shape.of(2, 5, 6), conv);
      int batch = 2;
      float[] p = arch.initialParams(7);
      if (conv.useBias()) {
        int b = arch.layout().offset(0, "bias");
        for (int i = 0; i < conv.filters(); i++) {
          p[b + i] = 0.3f - 0.2f * i;
        }
      }
      float[] x = CnnTesting.uniform(batch * 60, 11);
      // Convolution is linear and MSE quadratic: the central difference has no truncation error.
      int n = CnnTesting.check(arch, p, x, batch, true, new Tolerance(0.05, 1e-3, 1e-4)).compared();
      assertThat(n).isEqualTo(arch.paramCount() + x.length);
    }
  }

  @Test
  void chunkedBatchesGiveTheSameResultAsOneChunk() {
    Conv2D conv = new Conv2D(3, 3).withPadding(Padding.SAME).withStride(2);
    Shape in = Shape.of(2, 6, 5);
    Sequential arch = Sequential.of(in, conv);
    float[] p = arch.initialParams(2);
    int batch = 7;
    float[] x = CnnTesting.uniform(batch * in.size(), 4);
    float[] dy = CnnTesting.uniform(batch * arch.outputShape().size(), 5);
    Window g = Window.of("Conv2D", in, 3, 2, Padding.SAME);
    int kernel = arch.layout().offset(0, "kernel");
    int bias = arch.layout().offset(0, "bias");
    // One sample per chunk (cap smaller than one sample's unfolding) against the whole batch at once.
    Conv2DModel one = new Conv2DModel(g, 3, kernel, bias, 1);
    Conv2DModel all = new Conv2DModel(g, 3, kernel, bias, Conv2DModel.COL_FLOATS);
    int outN = batch * arch.outputShape().size();
    float[] y1 = new float[outN];
    float[] y2 = new float[outN];
    Pass pass = new Pass(true);
    one.forward(p, x, y1, batch, pass);
    all.forward(p, x, y2, batch, pass);
    float[] g1 = new float[p.length];
    float[] g2 = new float[p.length];
    float[] dx1 = new float[x.length];
    float[] dx2 = new float[x.length];
    one.backward(new Backward(pass).vectors(p, g1, batch).layer(x, y1, dy, dx1));
    all.backward(new Backward(pass).vectors(p, g2, batch).layer(x, y2, dy, dx2));
    for (int i = 0; i < outN; i++) {
      assertThat(y1[i]).isCloseTo(y2[i], org.assertj.core.data.Offset.offset(1e-5f));
    }
    for (int i = 0; i < p.length; i++) {
      assertThat(g1[i]).isCloseTo(g2[i], org.assertj.core.data.Offset.offset(1e-4f));
    }
    for (int i = 0; i < x.length; i++) {
      assertThat(dx1[i]).isCloseTo(dx2[i], org.assertj.core.data.Offset.offset(1e-5f));
    }
    // A second backward on the same forward recomputes col (it was overwritten by dCol) and agrees.
    float[] g3 = new float[p.length];
    all.backward(new Backward(pass).vectors(p, g3, batch).layer(x, y2, dy, new float[x.length]));
    assertThat(g3).containsExactly(g2);
  }

  @Test
  void shapesParametersAndErrors() {
    Sequential arch = Sequential.of(Shape.of(3, 8, 8), new Conv2D(5, 3));
    assertThat(arch.layout().ofLayer(0).get(0).spec().shape()).isEqualTo(Shape.of(5, 3, 3, 3));
    assertThat(arch.paramCount()).isEqualTo(5 * 27 + 5);
    assertThat(new Conv2D(4, 3).padding()).isEqualTo(Padding.VALID);
    assertThat(new Conv2D(4, 3).stride()).isEqualTo(1);
    assertThatThrownBy(() -> Sequential.of(Shape.of(784), new Conv2D(4, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layer 0 (conv2d)")
        .hasMessageContaining("(channels, height, width)");
    assertThatThrownBy(() -> Sequential.of(Shape.of(1, 2, 5), new Conv2D(4, 3)))
        .hasMessageContaining("at least 3x3");
    assertThatThrownBy(() -> new Conv2D(0, 3)).hasMessageContaining("filters");
  }

  @Test
  void networkForwardWithLargeBatchUsesSeveralChunksAndAgreesWithSmallBatches() {
    // 1x28x28, 8 filters of 5x5 same: 25·784 floats per sample, so a batch of 256 spans 2 chunks.
    Sequential arch = Sequential.of(Shape.of(1, 28, 28), new Conv2D(8, 5).withPadding(Padding.SAME));
    float[] p = arch.initialParams(3);
    int batch = 256;
    float[] x = CnnTesting.uniform(batch * 784, 8);
    Network big = arch.network();
    float[] y = big.forward(p, x, batch, false, 0L).clone();
    Network small = arch.network();
    int out = arch.outputShape().size();
    for (int b = 0; b < batch; b += 37) {
      float[] one = java.util.Arrays.copyOfRange(x, b * 784, (b + 1) * 784);
      float[] r = small.forward(p, one, 1, false, 0L);
      for (int i = 0; i < out; i++) {
        assertThat(y[b * out + i]).isCloseTo(r[i], org.assertj.core.data.Offset.offset(1e-5f));
      }
    }
  }
}
