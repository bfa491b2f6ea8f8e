package io.sparkprop.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.loss.Huber;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.Losses;
import io.sparkprop.core.loss.MeanAbsoluteError;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.loss.SigmoidBinaryCrossEntropy;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Layers, losses and architectures survive Java serialization (how Spark tasks carry them to the
 * executors), equal to the originals, and a record's checks run again on the way in.
 */
class LayerSerializationTest {

  static final List<Layer> SEQUENCE_LAYERS = List.of(new Embedding(50, 8), new SimpleRNN(4), new LSTM(3, true),
      new GRU(2), new Bidirectional(new LSTM(3)), new LayerNormalization(1e-3), new MultiHeadAttention(2),
      new TransformerEncoder(2, 16, 0.1, "gelu", true, 1e-6), new PositionalEmbedding(32),
      new GlobalAveragePooling1D(), new GlobalMaxPooling1D(), new TimeDistributed(new Dense(7)));

  static final List<Loss> LOSSES = List.of(new SoftmaxCrossEntropy(), new SigmoidBinaryCrossEntropy(),
      new MeanSquaredError(), new MeanAbsoluteError(), new Huber(0.5));

  @Test
  void everyBuiltInLayerRoundTrips() throws Exception {
    List<Layer> all = new ArrayList<>(LayerJsonTest.LAYERS);
    all.addAll(SEQUENCE_LAYERS);
    assertEveryBuiltInRoundTrips(all, Layers.registry().types(), Layer.class);
  }

  @Test
  void everyBuiltInLossRoundTrips() throws Exception {
    assertEveryBuiltInRoundTrips(LOSSES, Losses.registry().types(), Loss.class);
  }

  /** Each value round-trips, and the values cover every registered type of {@code base}'s package. */
  private static void assertEveryBuiltInRoundTrips(List<?> values, Collection<? extends Class<?>> registered,
                                                   Class<?> base) throws Exception {
    for (Object v : values) {
      assertThat(roundTrip(v)).as(v.toString()).isEqualTo(v);
    }
    Set<Class<?>> covered = values.stream().map(Object::getClass).collect(Collectors.toSet());
    Set<Class<?>> builtIn = registered.stream().filter(c -> c.getPackageName().equals(base.getPackageName()))
        .collect(Collectors.toSet());
    assertThat(covered).as("a built-in %s is missing from this test", base.getSimpleName()).containsAll(builtIn);
  }

  @Test
  void anArchitectureRoundTripsWithItsShapesAndLayout() throws Exception {
    Sequential s = Sequential.of(Shape.of(1, 8, 8), new Conv2D(2, 3), new ReLU(), new MaxPool2D(2), new Flatten(),
        new Dense(4).withRegularizer(new Regularizer(0, 1e-4)), new Softmax());
    Sequential back = roundTrip(s);
    assertThat(back).isEqualTo(s);
    assertThat(back.shapes()).isEqualTo(s.shapes());
    assertThat(back.paramCount()).isEqualTo(s.paramCount());
    assertThat(back.initialParams(7)).containsExactly(s.initialParams(7));
  }

  @Test
  void aTamperedRecordIsCheckedOnTheWayIn() throws Exception {
    // Java serialization rebuilds a record through its canonical constructor, so a Dropout rate
    // written as 0.5 and patched to 1.5 in the stream is refused like new Dropout(1.5).
    byte[] b = bytes(new Dropout(0.5));
    byte[] half = longBytes(Double.doubleToLongBits(0.5));
    byte[] bad = longBytes(Double.doubleToLongBits(1.5));
    int at = indexOf(b, half);
    assertThat(at).isGreaterThanOrEqualTo(0);
    System.arraycopy(bad, 0, b, at, 8);
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
      assertThatThrownBy(in::readObject).isInstanceOf(InvalidObjectException.class)
          .hasMessageContaining("1.5");
    }
  }

  @SuppressWarnings("unchecked")
  static <T> T roundTrip(T value) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes(value)))) {
      return (T) in.readObject();
    }
  }

  private static byte[] bytes(Object value) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(out)) {
      o.writeObject(value);
    }
    return out.toByteArray();
  }

  private static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (56 - 8 * i));
    }
    return b;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
