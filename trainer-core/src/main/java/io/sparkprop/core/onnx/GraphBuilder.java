package io.sparkprop.core.onnx;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/**
 * Appends nodes and initializers to one graph while the layers are exported in order. It tracks
 * the value flowing through the network (its name and the shape of one sample; ONNX shapes add
 * the batch dimension in front) and gives every node and value a unique name.
 */
final class GraphBuilder {
  private final OnnxProto.Graph graph;
  private final ParamLayout layout;
  private final float[] params;
  private int counter;
  private String value;
  private Shape shape;
  private int layer;
  private String prefix = "";
  private String ids;
  private String lengthsInput;
  private int steps;
  private String lengths;
  private String realSteps;
  private String mask;
  private String seqLens;
  private String keyMask;

  GraphBuilder(OnnxProto.Graph graph, ParamLayout layout, float[] params, String input, Shape inputShape) {
    this.graph = graph;
    this.layout = layout;
    this.params = params;
    this.value = input;
    this.shape = inputShape;
  }

  /**
   * Declares the graph input {@code ids} as the int64 token ids {@code [batch, steps]} (0 =
   * padding) that an Embedding reads; the padding mask and lengths are then derived from them.
   */
  void tokenInput(String ids, int steps) {
    this.ids = ids;
    this.steps = steps;
  }

  /**
   * Declares that float sequences {@code [batch, steps, F]} carry their real lengths in the graph
   * input {@code lengths} (int64 {@code [batch]}, each in {@code [1, steps]}), as
   * {@code DataSet.ofSequences} takes them. The input is added only when a layer reads the mask.
   * (Not an optional input with a default: ONNX Runtime's Java API refuses to feed an
   * initializer-backed input, so callers could never pass real lengths.)
   */
  void sequenceInput(String lengths, int steps) {
    this.lengthsInput = lengths;
    this.steps = steps;
  }

  /** The int64 token-id input, or null when the model takes floats. */
  String ids() {
    return ids;
  }

  /** Names made from now on start with {@code name} (nodes that belong to no layer, e.g. preprocessing). */
  void begin(String name) {
    this.layer = -1;
    this.prefix = name;
  }

  /** Starts layer {@code index} of kind {@code kind}: names made now start with {@code kind_index}. */
  void beginLayer(int index, String kind) {
    this.layer = index;
    this.prefix = kind + "_" + index;
  }

  /** The index of the current layer. */
  int layerIndex() {
    return layer;
  }

  /** Ends the current layer: its output is {@code output}, of sample shape {@code outputShape}. */
  void endLayer(String output, Shape outputShape) {
    this.value = output;
    this.shape = outputShape;
  }

  /** The name of the value entering the current layer. */
  String value() {
    return value;
  }

  /** The sample shape of the value entering the current layer. */
  Shape shape() {
    return shape;
  }

  /** An initializer holding the current layer's parameter tensor {@code name}, with its own dims. */
  String param(String name) {
    int[] d = entry(name).spec().shape().dims();
    long[] dims = new long[d.length];
    for (int i = 0; i < d.length; i++) {
      dims[i] = d[i];
    }
    return param(name, dims);
  }

  /** An initializer of the first values of tensor {@code name}, as many as {@code dims} hold, with those dims. */
  String param(String name, long... dims) {
    String n = unique(name);
    graph.initializer(OnnxProto.floatTensor(n, dims, params, entry(name).offset()));
    return n;
  }

  /** The current layer's parameter tensor {@code name}: where its values start in the flat vector. */
  int offset(String name) {
    return entry(name).offset();
  }

  /** The full parameter vector (read only: forms that rearrange tensors copy from it). */
  float[] params() {
    return params;
  }

  private ParamLayout.Entry entry(String name) {
    for (ParamLayout.Entry e : layout.ofLayer(layer)) {
      if (e.spec().name().equals(name)) {
        return e;
      }
    }
    throw new IllegalStateException("layer " + layer + " has no tensor '" + name + "'");
  }

  /** A float initializer of {@code data} with {@code dims}. */
  String floats(String name, long[] dims, float[] data) {
    String n = unique(name);
    graph.initializer(OnnxProto.floatTensor(n, dims, data));
    return n;
  }

  /** A float scalar initializer (broadcast by element-wise operators). */
  String scalar(String name, float v) {
    return floats(name, new long[0], new float[] {v});
  }

  /** An int64 vector initializer (Reshape's target shape, axes, pads). */
  String int64s(String name, long... values) {
    String n = unique(name);
    graph.initializer(OnnxProto.int64Tensor(n, values));
    return n;
  }

  /** A double vector initializer. */
  String doubles(String name, double... values) {
    String n = unique(name);
    graph.initializer(OnnxProto.doubleTensor(n, values));
    return n;
  }

  /** A value name no other initializer of this graph has. */
  private String unique(String name) {
    return prefix + "." + name + "_" + counter++;
  }

  /** Appends node {@code op} with several outputs named here ("" for an optional output left out). */
  String[] nodes(String op, String[] inputs, boolean[] wanted, ProtoMessage... attributes) {
    String base = prefix + "/" + op + "_" + counter++;
    String[] outs = new String[wanted.length];
    for (int i = 0; i < outs.length; i++) {
      outs[i] = wanted[i] ? base + ":" + i : "";
    }
    graph.node(OnnxProto.node(op, base, inputs, outs, attributes));
    return outs;
  }

  /** {@code v} reshaped to {@code target} (0 keeps that dimension, −1 is inferred). */
  String reshape(String v, long... target) {
    return node("Reshape", new String[] {v, int64s("shape", target)});
  }

  /** {@code v} with its axes permuted. */
  String transpose(String v, long... perm) {
    return node("Transpose", v, OnnxProto.attr("perm", perm));
  }

  /** {@code v} with size-1 axes inserted (opset 13 takes them as an input). */
  String unsqueeze(String v, long... axes) {
    return node("Unsqueeze", new String[] {v, int64s("axes", axes)});
  }

  /**
   * Each sample's length {@code int64 [batch]}, as {@code DataSet.lengthsOf} computes it: one past
   * the last non-zero id, at least 1 = {@code max(1, max_t (t + 1)·[id_t ≠ 0])}; for float
   * sequences the {@code lengths} input; null when samples have no steps.
   */
  String lengths() {
    if (ids == null && lengthsInput == null) {
      return null;
    }
    if (lengths == null) {
      lengths = ids != null ? lengthsOfIds() : lengthsFromInput();
    }
    return lengths;
  }

  private String lengthsOfIds() {
    long[] positions = new long[steps];
    for (int t = 0; t < steps; t++) {
      positions[t] = t + 1;
    }
    String nonZero = node("Cast", node("Not", node("Equal", new String[] {ids, int64s("zero", 0)})),
        OnnxProto.attr("to", (long) OnnxProto.INT64));
    String last = node("ReduceMax", node("Mul", new String[] {nonZero, int64s("positions", positions)}),
        OnnxProto.attr("axes", new long[] {1}), OnnxProto.attr("keepdims", 0L));
    return node("Max", new String[] {last, int64s("one", 1)});
  }

  /** The {@code lengths} graph input, declared on first use (so only models that mask have it). */
  private String lengthsFromInput() {
    graph.input(OnnxProto.batched(lengthsInput, OnnxProto.INT64, new int[0]));
    return lengthsInput;
  }

  /** bool {@code [batch, steps]}: step t of a sample is real iff t < its length; null when samples have no steps. */
  String realSteps() {
    if (lengths() == null) {
      return null;
    }
    if (realSteps == null) {
      long[] t = new long[steps];
      for (int i = 0; i < steps; i++) {
        t[i] = i;
      }
      realSteps = node("Less", new String[] {int64s("steps", t), unsqueeze(lengths(), 1)});
    }
    return realSteps;
  }

  /** float {@code [batch, steps, 1]}: 1 on real steps, 0 on padding; null when samples have no steps. */
  String mask() {
    if (lengths() == null) {
      return null;
    }
    if (mask == null) {
      mask = unsqueeze(node("Cast", realSteps(), OnnxProto.attr("to", (long) OnnxProto.FLOAT)), 2);
    }
    return mask;
  }

  /** The lengths as int32 {@code [batch]}, the type of the RNN operators' sequence_lens; null when samples have no steps. */
  String sequenceLens() {
    if (lengths() == null) {
      return null;
    }
    if (seqLens == null) {
      seqLens = node("Cast", lengths(), OnnxProto.attr("to", (long) OnnxProto.INT32));
    }
    return seqLens;
  }

  /**
   * The additive key padding mask {@code [batch, 1, 1, steps]} of attention scores: 0 on real
   * keys, −1e9 on padded ones (softmax then gives them exactly 0; every sample has a real key, so
   * no row is all −1e9); null when samples have no steps.
   */
  String keyMask() {
    if (lengths() == null) {
      return null;
    }
    if (keyMask == null) {
      String m = node("Cast", realSteps(), OnnxProto.attr("to", (long) OnnxProto.FLOAT));
      String shifted = node("Mul", new String[] {node("Sub", new String[] {m, scalar("one", 1f)}),
          scalar("big", 1e9f)});
      keyMask = unsqueeze(shifted, 1, 2);
    }
    return keyMask;
  }

  /** {@code v [batch, steps, F]} with padded steps set to 0, as sparkprop's sequence layers output them. */
  String masked(String v) {
    return lengths() == null ? v : node("Mul", new String[] {v, mask()});
  }

  /** Appends node {@code op} on {@code inputs}; returns the name of its single output. */
  String node(String op, String[] inputs, ProtoMessage... attributes) {
    String out = prefix + "/" + op + "_" + counter++;
    graph.node(OnnxProto.node(op, out, inputs, new String[] {out}, attributes));
    return out;
  }

  /** Appends node {@code op} on one input. */
  String node(String op, String input, ProtoMessage... attributes) {
    return node(op, new String[] {input}, attributes);
  }

  /** Appends node {@code op} writing to the given output name (graph outputs). */
  void nodeTo(String op, String[] inputs, String output, ProtoMessage... attributes) {
    graph.node(OnnxProto.node(op, prefix + "/" + op + "_" + counter++, inputs, new String[] {output}, attributes));
  }

  /** {@code value} as a {@code [batch, features]} matrix: a Flatten node unless the sample is already flat. */
  String flat(String v, Shape sample) {
    return sample.rank() == 1 ? v : node("Flatten", v, OnnxProto.attr("axis", 1L));
  }

  /**
   * Softmax over all of a sample's values, as sparkprop computes it: Softmax over axis 1 of the
   * flat {@code [batch, features]} view, reshaped back when the sample has several dimensions.
   */
  String softmax(String v, Shape sample) {
    String y = node("Softmax", flat(v, sample), OnnxProto.attr("axis", 1L));
    if (sample.rank() == 1) {
      return y;
    }
    long[] target = new long[sample.rank() + 1];
    target[0] = -1;
    for (int i = 0; i < sample.rank(); i++) {
      target[i + 1] = sample.dim(i);
    }
    return node("Reshape", new String[] {y, int64s("shape", target)});
  }
}
