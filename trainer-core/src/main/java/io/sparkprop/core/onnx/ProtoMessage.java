package io.sparkprop.core.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * One protobuf message being written, field by field, in the wire format (no generated code):
 * varints for integers, length-delimited bytes for strings, packed arrays and nested messages.
 * Repeated scalars are written one element per field (unpacked), as proto2's {@code onnx.proto}
 * declares them. A nested message is built as its own {@code ProtoMessage} and embedded with
 * {@link #message(int, ProtoMessage)}, which copies its bytes after their length. Messages here
 * are small except tensors, whose floats go in as one raw little-endian block.
 */
final class ProtoMessage {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
  private final CodedOutputStream out = CodedOutputStream.newInstance(bytes, 256);

  /** An int32/int64/enum field (varint; negative values take ten bytes, as protobuf requires). */
  ProtoMessage varint(int field, long value) {
    try {
      out.writeInt64(field, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A float field (fixed 32 bits). */
  ProtoMessage float32(int field, float value) {
    try {
      out.writeFloat(field, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A string field (UTF-8). */
  ProtoMessage string(int field, String value) {
    try {
      out.writeString(field, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A bytes field. */
  ProtoMessage bytes(int field, byte[] value) {
    try {
      out.writeByteArray(field, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** An embedded message field. */
  ProtoMessage message(int field, ProtoMessage m) {
    return bytes(field, m.toByteArray());
  }

  /** The encoded message. */
  byte[] toByteArray() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Writes the encoded message to {@code target} (not closed). */
  void writeTo(OutputStream target) throws IOException {
    out.flush();
    bytes.writeTo(target);
  }
}
