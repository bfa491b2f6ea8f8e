package io.sparkprop.core.onnx;

import static io.sparkprop.core.onnx.OnnxProto.attr;

import io.sparkprop.core.layer.Bidirectional;
import io.sparkprop.core.layer.GRU;
import io.sparkprop.core.layer.LSTM;
import io.sparkprop.core.layer.RecurrentLayer;
import io.sparkprop.core.layer.SimpleRNN;
import io.sparkprop.core.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * SimpleRNN, LSTM, GRU and Bidirectional as the ONNX {@code RNN}, {@code LSTM} and {@code GRU}
 * operators. sparkprop keeps Keras' layouts ({@code kernel [F, G·H]}, {@code recurrent_kernel
 * [H, G·H]}) with PyTorch's gate order and two biases; ONNX wants {@code W [dirs, G·H, F]} and
 * {@code R [dirs, G·H, H]} (the transposes), {@code B [dirs, 2·G·H] = [Wb, Rb]}, and its own gate
 * order, so the blocks are rearranged at export:
 *
 * <pre>
 * LSTM: PyTorch i, f, g, o  →  ONNX i, o, f, c      (ONNX block k = PyTorch block [0, 3, 1, 2][k])
 * GRU:  PyTorch r, z, n     →  ONNX z, r, h         ([1, 0, 2]); linear_before_reset = 1, because
 *       PyTorch's n = tanh(x·Wn + b_in,n + r ⊙ (h·Un + b_rec,n)) applies r after the recurrent bias
 * </pre>
 *
 * The default activations (sigmoid, tanh, tanh) are sparkprop's. The operators are time-major,
 * so the input is transposed to {@code [T, batch, F]}. {@code sequence_lens} (from the token ids)
 * makes each sample stop at its last real step, and the reverse direction start there, as
 * sparkprop does; {@code Y_h} is then the state at the last real step (forward) and at the first
 * step (backward).
 */
final class RecurrentForms {
  private static final int[] RNN_ORDER = {0};
  private static final int[] LSTM_ORDER = {0, 3, 1, 2};
  private static final int[] GRU_ORDER = {1, 0, 2};

  private RecurrentForms() {
  }

  static String single(RecurrentLayer l, GraphBuilder g) {
    return emit(l, g, new String[] {""});
  }

  static String bidirectional(Bidirectional b, GraphBuilder g) {
    return emit((RecurrentLayer) b.layer(), g, new String[] {"forward_", "backward_"});
  }

  private static String emit(RecurrentLayer l, GraphBuilder g, String[] prefixes) {
    Shape in = g.shape();
    int f = in.dim(1);
    int h = l.units();
    String op;
    int[] order;
    if (l instanceof LSTM) {
      op = "LSTM";
      order = LSTM_ORDER;
    } else if (l instanceof GRU) {
      op = "GRU";
      order = GRU_ORDER;
    } else if (l instanceof SimpleRNN) {
      op = "RNN";
      order = RNN_ORDER;
    } else {
      throw new IllegalArgumentException("recurrent layer " + l.kind() + " has no ONNX form in this build");
    }
    int gh = order.length * h;
    int dirs = prefixes.length;
    float[] w = new float[dirs * gh * f];
    float[] r = new float[dirs * gh * h];
    float[] b = new float[dirs * 2 * gh];
    float[] p = g.params();
    for (int d = 0; d < dirs; d++) {
      String pre = prefixes[d];
      transposeBlocks(p, g.offset(pre + "kernel"), f, h, order, w, d * gh * f);
      transposeBlocks(p, g.offset(pre + "recurrent_kernel"), h, h, order, r, d * gh * h);
      reorder(p, g.offset(pre + "input_bias"), h, order, b, d * 2 * gh);
      reorder(p, g.offset(pre + "recurrent_bias"), h, order, b, d * 2 * gh + gh);
    }
    List<String> inputs = new ArrayList<>(List.of(g.transpose(g.value(), 1, 0, 2),
        g.floats("W", new long[] {dirs, gh, f}, w), g.floats("R", new long[] {dirs, gh, h}, r),
        g.floats("B", new long[] {dirs, 2L * gh}, b)));
    if (g.sequenceLens() != null) {
      inputs.add(g.sequenceLens());
    }
    List<ProtoMessage> attrs = new ArrayList<>(List.of(attr("hidden_size", (long) h),
        attr("direction", dirs == 2 ? "bidirectional" : "forward")));
    if (l instanceof GRU) {
      attrs.add(attr("linear_before_reset", 1L));
    }
    boolean seq = l.returnSequences();
    String[] outs = g.nodes(op, inputs.toArray(new String[0]), new boolean[] {seq, !seq},
        attrs.toArray(new ProtoMessage[0]));
    if (seq) {
      // Y [T, dirs, batch, H] → [batch, T, dirs·H]: per step [forward, backward], Bidirectional's concat
      return g.masked(g.reshape(g.transpose(outs[0], 2, 0, 1, 3), 0, 0, (long) dirs * h));
    }
    // Y_h [dirs, batch, H] → [batch, dirs·H]
    return g.reshape(g.transpose(outs[1], 1, 0, 2), 0, (long) dirs * h);
  }

  /**
   * {@code out[k·H + j, i] = src[i, order[k]·H + j]}: a Keras kernel {@code [rows, G·H]} at
   * {@code from} as ONNX's transposed {@code [G·H, rows]} with the gate blocks reordered.
   */
  private static void transposeBlocks(float[] p, int from, int rows, int h, int[] order, float[] out, int at) {
    int gh = order.length * h;
    for (int k = 0; k < order.length; k++) {
      for (int j = 0; j < h; j++) {
        int col = order[k] * h + j;
        int dst = at + (k * h + j) * rows;
        for (int i = 0; i < rows; i++) {
          out[dst + i] = p[from + i * gh + col];
        }
      }
    }
  }

  /** A bias {@code [G·H]} at {@code from} with its gate blocks reordered. */
  private static void reorder(float[] p, int from, int h, int[] order, float[] out, int at) {
    for (int k = 0; k < order.length; k++) {
      System.arraycopy(p, from + order[k] * h, out, at + k * h, h);
    }
  }
}
