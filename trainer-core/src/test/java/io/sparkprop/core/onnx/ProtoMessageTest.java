package io.sparkprop.core.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The wire bytes of the protobuf writer, against the encoding examples of the protobuf documentation. */
class ProtoMessageTest {

  private static String hex(ProtoMessage m) {
    return HexFormat.of().formatHex(m.toByteArray());
  }

  @Test
  void varintsStringsFloatsAndNestedMessages() {
    assertThat(hex(new ProtoMessage().varint(1, 150))).isEqualTo("089601");
    assertThat(hex(new ProtoMessage().varint(3, -1))).isEqualTo("18ffffffffffffffffff01");
    assertThat(hex(new ProtoMessage().string(2, "testing"))).isEqualTo("120774657374696e67");
    assertThat(hex(new ProtoMessage().float32(2, 1f))).isEqualTo("150000803f");
    assertThat(hex(new ProtoMessage().message(3, new ProtoMessage().varint(1, 150)))).isEqualTo("1a03089601");
  }

  @Test
  void tensorsHoldDimsTypeNameAndLittleEndianRawData() {
    ProtoMessage t = OnnxProto.floatTensor("w", new long[] {2}, new float[] {9f, 1f, -2f}, 1);
    // dims 1 = 2, data_type 2 = FLOAT, name 8 = "w", raw_data 9 = 1.0f, -2.0f little-endian
    assertThat(hex(t)).isEqualTo("0802" + "1001" + "420177" + "4a08" + "0000803f" + "000000c0");
  }

  @Test
  void repeatedIntAttributesAreOneFieldPerElement() {
    ProtoMessage a = OnnxProto.attr("pads", 0L, 1L);
    // name 1 = "pads", ints 8 = 0, ints 8 = 1, type 20 = INTS (7)
    assertThat(hex(a)).isEqualTo("0a0470616473" + "4000" + "4001" + "a00107");
  }

  @Test
  void stringAttributesAndDoubleTensors() {
    // name 1 = "direction", s 4 = "forward" (bytes), type 20 = STRING (3)
    assertThat(hex(OnnxProto.attr("direction", "forward"))).isEqualTo("0a09" + HexFormat.of().formatHex(
        "direction".getBytes()) + "2207" + HexFormat.of().formatHex("forward".getBytes()) + "a00103");
    // dims 1 = 1, data_type 2 = DOUBLE (11), name 8 = "d", raw_data 9 = 1.0 little-endian
    assertThat(hex(OnnxProto.doubleTensor("d", new double[] {1.0}))).isEqualTo("0801" + "100b" + "420164"
        + "4a08" + "000000000000f03f");
  }
}
