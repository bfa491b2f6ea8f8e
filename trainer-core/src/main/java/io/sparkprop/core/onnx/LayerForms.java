package io.sparkprop.core.onnx;

import static io.sparkprop.core.onnx.OnnxProto.attr;

import io.sparkprop.core.layer.AvgPool2D;
import io.sparkprop.core.layer.BatchNormalization;
import io.sparkprop.core.layer.Bidirectional;
import io.sparkprop.core.layer.Conv2D;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.ELU;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.Flatten;
import io.sparkprop.core.layer.GELU;
import io.sparkprop.core.layer.GRU;
import io.sparkprop.core.layer.GlobalAveragePooling1D;
import io.sparkprop.core.layer.GlobalAveragePooling2D;
import io.sparkprop.core.layer.GlobalMaxPooling1D;
import io.sparkprop.core.layer.LSTM;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.layer.LayerNormalization;
import io.sparkprop.core.layer.LeakyReLU;
import io.sparkprop.core.layer.MaxPool2D;
import io.sparkprop.core.layer.MultiHeadAttention;
import io.sparkprop.core.layer.Padding;
import io.sparkprop.core.layer.PositionalEmbedding;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.layer.Sigmoid;
import io.sparkprop.core.layer.SimpleRNN;
import io.sparkprop.core.layer.Softmax;
import io.sparkprop.core.layer.Tanh;
import io.sparkprop.core.layer.TimeDistributed;
import io.sparkprop.core.layer.TransformerEncoder;
import io.sparkprop.core.layer.ZeroPadding2D;
import io.sparkprop.core.tensor.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * The ONNX form of each layer kind: one entry per layer class. A new layer joins by adding one
 * {@link #put} line; a layer class without an entry has no ONNX form, and exporting a model
 * holding it fails with the layer named ({@link #of}), so no graph is ever guessed.
 */
final class LayerForms {

  /** Appends the nodes computing {@code layer} on {@code g.value()}; returns the output value's name. */
  @FunctionalInterface
  interface Form<L extends Layer> {
    String emit(L layer, GraphBuilder g);
  }

  private static final Map<Class<?>, Form<?>> FORMS = new HashMap<>();

  static {
    put(Dense.class, (l, g) -> {
      String x = g.flat(g.value(), g.shape());
      // Gemm: Y = A·B + C with B = kernel[in, units] (no transpose) and C = bias[units] broadcast.
      return l.useBias() ? g.node("Gemm", new String[] {x, g.param("kernel"), g.param("bias")})
          : g.node("Gemm", new String[] {x, g.param("kernel")});
    });
    put(ReLU.class, (l, g) -> g.node("Relu", g.value()));
    put(LeakyReLU.class, (l, g) -> g.node("LeakyRelu", g.value(), attr("alpha", (float) l.alpha())));
    put(ELU.class, (l, g) -> g.node("Elu", g.value(), attr("alpha", (float) l.alpha())));
    put(GELU.class, (l, g) -> gelu(g, g.value()));
    put(Sigmoid.class, (l, g) -> g.node("Sigmoid", g.value()));
    put(Tanh.class, (l, g) -> g.node("Tanh", g.value()));
    put(Softmax.class, (l, g) -> g.softmax(g.value(), g.shape()));
    put(Dropout.class, (l, g) -> g.node("Identity", g.value()));
    put(Flatten.class, (l, g) -> g.node("Flatten", g.value(), attr("axis", 1L)));
    put(Conv2D.class, (l, g) -> {
      long[] pads = pads(g.shape(), l.kernelSize(), l.stride(), l.padding());
      String[] in = l.useBias() ? new String[] {g.value(), g.param("kernel"), g.param("bias")}
          : new String[] {g.value(), g.param("kernel")};
      return g.node("Conv", in, attr("kernel_shape", l.kernelSize(), l.kernelSize()),
          attr("strides", l.stride(), l.stride()), attr("pads", pads));
    });
    // Pad (opset 13) takes its pads as an int64 input: [begin of N, C, H, W, end of N, C, H, W].
    put(ZeroPadding2D.class, (l, g) -> g.node("Pad", new String[] {g.value(),
        g.int64s("pads", 0, 0, l.rows(), l.cols(), 0, 0, l.rows(), l.cols())}));
    put(MaxPool2D.class, (l, g) -> g.node("MaxPool", g.value(), attr("kernel_shape", l.size(), l.size()),
        attr("strides", l.stride(), l.stride()), attr("pads", pads(g.shape(), l.size(), l.stride(), l.padding()))));
    // count_include_pad = 0: the mean is over the window's real cells, as sparkprop's AvgPool2D.
    put(AvgPool2D.class, (l, g) -> g.node("AveragePool", g.value(), attr("kernel_shape", l.size(), l.size()),
        attr("strides", l.stride(), l.stride()), attr("pads", pads(g.shape(), l.size(), l.stride(), l.padding())),
        attr("count_include_pad", 0L)));
    put(GlobalAveragePooling2D.class, (l, g) ->
        g.node("Flatten", g.node("GlobalAveragePool", g.value()), attr("axis", 1L)));
    // Inference form: y = gamma·(x − running_mean)/sqrt(running_var + epsilon) + beta, over axis 1.
    put(BatchNormalization.class, (l, g) -> g.node("BatchNormalization", new String[] {g.value(),
        g.param("gamma"), g.param("beta"), g.param("running_mean"), g.param("running_var")},
        attr("epsilon", (float) l.epsilon())));
    // Sequence layers (token ids [batch, T] in, padding mask derived from them in the graph).
    put(Embedding.class, SequenceForms::embedding);
    put(PositionalEmbedding.class, SequenceForms::positional);
    put(SimpleRNN.class, RecurrentForms::single);
    put(LSTM.class, RecurrentForms::single);
    put(GRU.class, RecurrentForms::single);
    put(Bidirectional.class, RecurrentForms::bidirectional);
    put(LayerNormalization.class, SequenceForms::layerNorm);
    put(MultiHeadAttention.class, AttentionForms::attention);
    put(TransformerEncoder.class, AttentionForms::encoder);
    put(GlobalAveragePooling1D.class, (l, g) -> SequenceForms.averagePool(g));
    put(GlobalMaxPooling1D.class, (l, g) -> SequenceForms.maxPool(g));
    put(TimeDistributed.class, SequenceForms::timeDistributed);
  }

  private LayerForms() {
  }

  private static <L extends Layer> void put(Class<L> kind, Form<L> form) {
    FORMS.put(kind, form);
  }

  /**
   * The form of {@code layer}, the {@code index}-th layer of a model.
   *
   * @throws IllegalArgumentException naming the layer when it has no ONNX form
   */
  @SuppressWarnings("unchecked")
  static <L extends Layer> Form<L> of(L layer, int index) {
    Form<L> f = (Form<L>) FORMS.get(layer.getClass());
    if (f == null) {
      throw new IllegalArgumentException("layer " + index + " (" + layer.kind() + ", "
          + layer.getClass().getSimpleName() + ") has no ONNX form in this build; the model cannot be exported");
    }
    return f;
  }

  /** Exact GELU, x·Φ(x) = x·(1 + erf(x/√2))/2, from Mul, Erf and Add nodes. */
  static String gelu(GraphBuilder g, String x) {
    String e = g.node("Erf", g.node("Mul", new String[] {x, g.scalar("inv_sqrt2", (float) (1 / Math.sqrt(2)))}));
    String onePlus = g.node("Add", new String[] {e, g.scalar("one", 1f)});
    return g.node("Mul", new String[] {g.node("Mul", new String[] {x, onePlus}), g.scalar("half", 0.5f)});
  }

  /**
   * ONNX pads {@code [top, left, bottom, right]} of a square window over a {@code (C, H, W)} sample
   * (see {@link Padding}): none for {@code valid}; for {@code same}, {@code out = ⌈in/stride⌉},
   * {@code total = max((out − 1)·stride + size − in, 0)}, {@code ⌊total/2⌋} before and the rest after.
   */
  static long[] pads(Shape sample, int size, int stride, Padding padding) {
    if (padding == Padding.VALID) {
      return new long[4];
    }
    int[] before = new int[2];
    int[] after = new int[2];
    for (int axis = 0; axis < 2; axis++) {
      int in = sample.dim(axis + 1);
      int out = (in + stride - 1) / stride;
      int total = Math.max((out - 1) * stride + size - in, 0);
      before[axis] = total / 2;
      after[axis] = total - total / 2;
    }
    return new long[] {before[0], before[1], after[0], after[1]};
  }
}
