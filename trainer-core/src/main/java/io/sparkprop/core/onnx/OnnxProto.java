package io.sparkprop.core.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * The ONNX messages this exporter writes, with the field numbers of the published
 * {@code onnx.proto} (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto with TypeProto and TensorShapeProto, OperatorSetIdProto,
 * StringStringEntryProto). Only the fields used here are named.
 */
final class OnnxProto {
  /** IR version 7 (ONNX 1.8): read by every ONNX Runtime since 1.6, including 1.20. */
  static final long IR_VERSION = 7;
  /** Default-domain operator set: 13 has Softmax over one axis, Erf, and count_include_pad. */
  static final long OPSET = 13;
  /** TensorProto.DataType FLOAT. */
  static final int FLOAT = 1;
  /** TensorProto.DataType INT32. */
  static final int INT32 = 6;
  /** TensorProto.DataType INT64. */
  static final int INT64 = 7;
  /** TensorProto.DataType BOOL. */
  static final int BOOL = 9;
  /** TensorProto.DataType DOUBLE. */
  static final int DOUBLE = 11;

  // AttributeProto.AttributeType
  private static final int ATTR_FLOAT = 1;
  private static final int ATTR_INT = 2;
  private static final int ATTR_STRING = 3;
  private static final int ATTR_INTS = 7;

  private OnnxProto() {
  }

  /** ModelProto: ir_version 1, opset_import 8, producer_name 2, producer_version 3, graph 7, metadata_props 14. */
  static ProtoMessage model(ProtoMessage graph, String producer, String version, Map<String, String> metadata) {
    ProtoMessage opset = new ProtoMessage().string(1, "").varint(2, OPSET);
    ProtoMessage m = new ProtoMessage().varint(1, IR_VERSION).string(2, producer).string(3, version)
        .message(7, graph).message(8, opset);
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      m.message(14, new ProtoMessage().string(1, e.getKey()).string(2, e.getValue()));
    }
    return m;
  }

  /** GraphProto: node 1, name 2, initializer 5, input 11, output 12. */
  static final class Graph {
    final ProtoMessage message = new ProtoMessage();

    Graph(String name) {
      message.string(2, name);
    }

    void node(ProtoMessage n) {
      message.message(1, n);
    }

    void initializer(ProtoMessage t) {
      message.message(5, t);
    }

    void input(ProtoMessage v) {
      message.message(11, v);
    }

    void output(ProtoMessage v) {
      message.message(12, v);
    }
  }

  /** NodeProto: input 1, output 2, name 3, op_type 4, attribute 5. */
  static ProtoMessage node(String op, String name, String[] inputs, String[] outputs, ProtoMessage... attributes) {
    ProtoMessage n = new ProtoMessage();
    for (String i : inputs) {
      n.string(1, i);
    }
    for (String o : outputs) {
      n.string(2, o);
    }
    n.string(3, name).string(4, op);
    for (ProtoMessage a : attributes) {
      n.message(5, a);
    }
    return n;
  }

  /** AttributeProto with an int: name 1, i 3, type 20. */
  static ProtoMessage attr(String name, long value) {
    return new ProtoMessage().string(1, name).varint(3, value).varint(20, ATTR_INT);
  }

  /** AttributeProto with a float: name 1, f 2, type 20. */
  static ProtoMessage attr(String name, float value) {
    return new ProtoMessage().string(1, name).float32(2, value).varint(20, ATTR_FLOAT);
  }

  /** AttributeProto with a string: name 1, s 4 (bytes, UTF-8), type 20. */
  static ProtoMessage attr(String name, String value) {
    return new ProtoMessage().string(1, name).string(4, value).varint(20, ATTR_STRING);
  }

  /** AttributeProto with ints: name 1, ints 8 (one element per field, as onnx.proto's proto2 declares), type 20. */
  static ProtoMessage attr(String name, long... values) {
    ProtoMessage a = new ProtoMessage().string(1, name);
    for (long v : values) {
      a.varint(8, v);
    }
    return a.varint(20, ATTR_INTS);
  }

  /** A float TensorProto from {@code data[offset, offset + size)}: dims 1, data_type 2, name 8, raw_data 9 (little-endian). */
  static ProtoMessage floatTensor(String name, long[] dims, float[] data, int offset) {
    int size = 1;
    for (long d : dims) {
      size = Math.multiplyExact(size, (int) d);
    }
    ByteBuffer raw = ByteBuffer.allocate(size * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(data, offset, size);
    return tensor(name, dims, FLOAT, raw.array());
  }

  /** An int64 TensorProto of {@code values}, dims {@code [values.length]}. */
  static ProtoMessage int64Tensor(String name, long[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    return tensor(name, new long[] {values.length}, INT64, raw.array());
  }

  /** A float TensorProto of all of {@code data} with the given dims. */
  static ProtoMessage floatTensor(String name, long[] dims, float[] data) {
    return floatTensor(name, dims, data, 0);
  }

  /** A double TensorProto of {@code values}, dims {@code [values.length]}. */
  static ProtoMessage doubleTensor(String name, double[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asDoubleBuffer().put(values);
    return tensor(name, new long[] {values.length}, DOUBLE, raw.array());
  }

  private static ProtoMessage tensor(String name, long[] dims, int type, byte[] raw) {
    ProtoMessage t = new ProtoMessage();
    for (long d : dims) {
      t.varint(1, d);
    }
    return t.varint(2, type).string(8, name).bytes(9, raw);
  }

  /**
   * ValueInfoProto (name 1, type 2) of a float tensor whose first dimension is the symbolic
   * {@code batch}: TypeProto.tensor_type 1 → Tensor (elem_type 1, shape 2) → TensorShapeProto
   * (dim 1) → Dimension (dim_value 1 or dim_param 2).
   */
  static ProtoMessage batchedFloat(String name, int[] sampleDims) {
    return batched(name, FLOAT, sampleDims);
  }

  /** ValueInfoProto of a tensor of element type {@code type} with a symbolic {@code batch} first dimension. */
  static ProtoMessage batched(String name, int type, int[] sampleDims) {
    return tensorInfo(name, type, "batch", sampleDims);
  }

  /** ValueInfoProto of a tensor whose first dimension is the symbolic {@code symbol}, then {@code dims}. */
  static ProtoMessage tensorInfo(String name, int type, String symbol, int... dims) {
    ProtoMessage shape = new ProtoMessage().message(1, new ProtoMessage().string(2, symbol));
    for (int d : dims) {
      shape.message(1, new ProtoMessage().varint(1, d));
    }
    ProtoMessage tensor = new ProtoMessage().varint(1, type).message(2, shape);
    return new ProtoMessage().string(1, name).message(2, new ProtoMessage().message(1, tensor));
  }
}
