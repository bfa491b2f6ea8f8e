package io.sparkprop.core.onnx;

import static io.sparkprop.core.onnx.OnnxProto.attr;

import io.sparkprop.core.layer.MultiHeadAttention;
import io.sparkprop.core.layer.TransformerEncoder;

/**
 * Multi-head self-attention and the Transformer encoder block as MatMul, Softmax and element-wise
 * nodes on {@code [batch, T, E]}. Per head h with {@code d = E/heads}:
 *
 * <pre>
 * Q, K, V = x·W + b  →  [batch, heads, T, d]
 * A = softmax(Q·Kᵀ/sqrt(d) + M)      M[b, 0, 0, t] = 0 on real keys, −1e9 on padded ones
 * y = concat_h(A·V)·Wo + bo
 * </pre>
 *
 * sparkprop leaves padded keys out of the softmax; the additive mask gives them weight exactly 0.
 * Dropout is the identity at inference.
 */
final class AttentionForms {

  private AttentionForms() {
  }

  static String attention(MultiHeadAttention l, GraphBuilder g) {
    return g.masked(attention(g, g.value(), l.heads()));
  }

  /** The attention of {@code x} with the current layer's eight tensors. */
  static String attention(GraphBuilder g, String x, int heads) {
    int e = g.shape().dim(1);
    int d = e / heads;
    String q = g.transpose(g.reshape(dense(g, x, "query_kernel", "query_bias"), 0, 0, heads, d), 0, 2, 1, 3);
    String kt = g.transpose(g.reshape(dense(g, x, "key_kernel", "key_bias"), 0, 0, heads, d), 0, 2, 3, 1);
    String v = g.transpose(g.reshape(dense(g, x, "value_kernel", "value_bias"), 0, 0, heads, d), 0, 2, 1, 3);
    String s = g.node("Mul", new String[] {g.node("MatMul", new String[] {q, kt}),
        g.scalar("scale", (float) (1.0 / Math.sqrt(d)))});
    if (g.keyMask() != null) {
      s = g.node("Add", new String[] {s, g.keyMask()});
    }
    String a = g.node("Softmax", s, attr("axis", -1L));
    String c = g.reshape(g.transpose(g.node("MatMul", new String[] {a, v}), 0, 2, 1, 3), 0, 0, e);
    return dense(g, c, "output_kernel", "output_bias");
  }

  /**
   * Post-norm {@code h = LN1(x + MHA(x))}, {@code y = LN2(h + FF(h))}; pre-norm
   * {@code h = x + MHA(LN1(x))}, {@code y = h + FF(LN2(h))}; {@code FF(h) = act(h·W1 + b1)·W2 + b2}.
   */
  static String encoder(TransformerEncoder l, GraphBuilder g) {
    String x = g.value();
    float eps = (float) l.epsilon();
    String y;
    if (l.normFirst()) {
      String a = g.masked(attention(g, norm(g, x, "norm1", eps), l.heads()));
      String h = g.node("Add", new String[] {x, a});
      y = g.node("Add", new String[] {h, feedForward(g, norm(g, h, "norm2", eps), l.activation())});
    } else {
      String a = g.masked(attention(g, x, l.heads()));
      String h = norm(g, g.node("Add", new String[] {x, a}), "norm1", eps);
      y = norm(g, g.node("Add", new String[] {h, feedForward(g, h, l.activation())}), "norm2", eps);
    }
    return g.masked(y);
  }

  private static String norm(GraphBuilder g, String x, String name, float eps) {
    return g.masked(SequenceForms.layerNorm(g, x, g.param(name + "_gamma"), g.param(name + "_beta"), eps));
  }

  private static String feedForward(GraphBuilder g, String h, String activation) {
    String z = dense(g, h, "ff1_kernel", "ff1_bias");
    String u = activation.equals("gelu") ? LayerForms.gelu(g, z) : g.node("Relu", z);
    return dense(g, u, "ff2_kernel", "ff2_bias");
  }

  /** x·W + b on the last axis of {@code [batch, T, in]}. */
  private static String dense(GraphBuilder g, String x, String kernel, String bias) {
    return g.node("Add", new String[] {g.node("MatMul", new String[] {x, g.param(kernel)}), g.param(bias)});
  }
}
