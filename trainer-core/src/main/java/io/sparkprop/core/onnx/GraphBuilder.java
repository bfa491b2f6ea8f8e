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

  GraphBuilder(OnnxProto.Graph graph, ParamLayout layout, float[] params, String input, Shape inputShape) {
    this.graph = graph;
    this.layout = layout;
    this.params = params;
    this.value = input;
    this.shape = inputShape;
  }

  /** Starts layer {@code index} of kind {@code kind}: names made now start with {@code kind_index}. */
  void beginLayer(int index, String kind) {
    this.layer = index;
    this.prefix = kind + "_" + index;
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
    for (ParamLayout.Entry e : layout.ofLayer(layer)) {
      if (e.spec().name().equals(name)) {
        int[] d = e.spec().shape().dims();
        long[] dims = new long[d.length];
        for (int i = 0; i < d.length; i++) {
          dims[i] = d[i];
        }
        String n = prefix + "." + name;
        graph.initializer(OnnxProto.floatTensor(n, dims, params, e.offset()));
        return n;
      }
    }
    throw new IllegalStateException("layer " + layer + " has no tensor '" + name + "'");
  }

  /** A float scalar initializer (broadcast by element-wise operators). */
  String scalar(String name, float v) {
    String n = prefix + "." + name;
    graph.initializer(OnnxProto.floatTensor(n, new long[0], new float[] {v}, 0));
    return n;
  }

  /** An int64 vector initializer (Reshape's target shape). */
  String int64s(String name, long... values) {
    String n = prefix + "." + name;
    graph.initializer(OnnxProto.int64Tensor(n, values));
    return n;
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
