package io.sparkprop.core.onnx;

import static io.sparkprop.core.onnx.OnnxProto.attr;

import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.layer.LayerNormalization;
import io.sparkprop.core.layer.PositionalEmbedding;
import io.sparkprop.core.layer.TimeDistributed;
import io.sparkprop.core.tensor.Shape;
import java.util.Arrays;

/**
 * The ONNX forms of the sequence layers other than the recurrent ones ({@link RecurrentForms})
 * and attention ({@link AttentionForms}). Sequence values are {@code [batch, T, F]}; wherever
 * sparkprop outputs zero on padded steps the form multiplies by the padding mask
 * ({@link GraphBuilder#masked}), so that every value, padded steps included, is sparkprop's.
 */
final class SequenceForms {

  private SequenceForms() {
  }

  /** Gather of the ids' rows of the table {@code [vocab, D]}; only as the first layer, which reads the ids. */
  static String embedding(Embedding l, GraphBuilder g) {
    if (g.ids() == null || !g.value().equals(g.ids())) {
      throw new IllegalArgumentException("layer " + g.layerIndex() + " (embedding) must be the model's first "
          + "layer to be exported (it reads the token ids)");
    }
    return g.masked(g.node("Gather", new String[] {g.param("embeddings"), g.ids()}, attr("axis", 0L)));
  }

  /** y = x + P[0..T). */
  static String positional(PositionalEmbedding l, GraphBuilder g) {
    Shape s = g.shape();
    String table = g.param("embeddings", s.dim(0), s.dim(1));
    return g.masked(g.node("Add", new String[] {g.value(), table}));
  }

  static String layerNorm(LayerNormalization l, GraphBuilder g) {
    String y = layerNorm(g, g.value(), g.param("gamma"), g.param("beta"), (float) l.epsilon());
    return g.shape().rank() == 2 ? g.masked(y) : y;
  }

  /**
   * {@code γ·(x − μ)/sqrt(σ² + ε) + β} over the last axis, μ and the biased σ² from ReduceMean
   * (opset 13 has no LayerNormalization operator; opset 17 does).
   */
  static String layerNorm(GraphBuilder g, String x, String gamma, String beta, float epsilon) {
    String mean = g.node("ReduceMean", x, attr("axes", new long[] {-1}), attr("keepdims", 1L));
    String d = g.node("Sub", new String[] {x, mean});
    String var = g.node("ReduceMean", g.node("Mul", new String[] {d, d}), attr("axes", new long[] {-1}),
        attr("keepdims", 1L));
    String std = g.node("Sqrt", g.node("Add", new String[] {var, g.scalar("epsilon", epsilon)}));
    String xhat = g.node("Div", new String[] {d, std});
    return g.node("Add", new String[] {g.node("Mul", new String[] {xhat, gamma}), beta});
  }

  /** Mean over each sample's real steps: Σ_t x·mask / length. */
  static String averagePool(GraphBuilder g) {
    if (g.mask() == null) {
      return g.node("ReduceMean", g.value(), attr("axes", new long[] {1}), attr("keepdims", 0L));
    }
    String sum = g.node("ReduceSum", new String[] {g.node("Mul", new String[] {g.value(), g.mask()}),
        g.int64s("axes", 1)}, attr("keepdims", 0L));
    String len = g.node("Cast", g.unsqueeze(g.lengths(), 1), attr("to", (long) OnnxProto.FLOAT));
    return g.node("Div", new String[] {sum, len});
  }

  /** Maximum over each sample's real steps: padded steps become −MAX_VALUE first. */
  static String maxPool(GraphBuilder g) {
    String x = g.value();
    if (g.mask() != null) {
      x = g.node("Where", new String[] {g.unsqueeze(g.realSteps(), 2), x, g.scalar("lowest", -Float.MAX_VALUE)});
    }
    return g.node("ReduceMax", x, attr("axes", new long[] {1}), attr("keepdims", 0L));
  }

  /**
   * The inner layer's form on the {@code batch·T} steps as a batch of their own: reshape to
   * {@code [batch·T, step shape]}, the inner nodes, reshape back to {@code [batch, T, out]}.
   */
  static String timeDistributed(TimeDistributed l, GraphBuilder g) {
    Shape in = g.shape();
    Shape step = Shape.of(Arrays.copyOfRange(in.dims(), 1, in.rank()));
    long[] target = new long[step.rank() + 1];
    target[0] = -1;
    for (int i = 0; i < step.rank(); i++) {
      target[i + 1] = step.dim(i);
    }
    Layer inner = l.layer();
    LayerForms.Form<Layer> form = LayerForms.of(inner, g.layerIndex());
    g.endLayer(g.reshape(g.value(), target), step);
    String y = form.emit(inner, g);
    int out = inner.outputShape(step).size();
    return g.masked(g.reshape(y, -1, in.dim(0), out));
  }
}
