package io.sparkprop.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.ELU;
import io.sparkprop.core.layer.Flatten;
import io.sparkprop.core.layer.GELU;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.layer.LayerModel;
import io.sparkprop.core.layer.Layers;
import io.sparkprop.core.layer.LeakyReLU;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.layer.Regularizer;
import io.sparkprop.core.layer.Sigmoid;
import io.sparkprop.core.layer.Softmax;
import io.sparkprop.core.layer.Tanh;
import io.sparkprop.core.loss.Huber;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.Losses;
import io.sparkprop.core.loss.MeanAbsoluteError;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.loss.SigmoidBinaryCrossEntropy;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Initializer;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.optim.ConstantRate;
import io.sparkprop.core.optim.LearningRateSchedule;
import io.sparkprop.core.optim.Optimizer;
import io.sparkprop.core.optim.Optimizers;
import io.sparkprop.core.optim.ReduceOnPlateau;
import io.sparkprop.core.optim.SGD;
import io.sparkprop.core.optim.Schedules;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.EarlyStopping;
import io.sparkprop.core.train.TrainingConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class JsonTest {

  private static <T> T roundTrip(T value, Class<T> type) {
    String json = Json.toJson(value);
    T back = Json.fromJson(json, type);
    assertThat(back).as(json).isEqualTo(value);
    return back;
  }

  @Test
  void fieldLessLayersWriteOnlyTheirType() {
    assertThat(Json.toJson(new ReLU())).isEqualTo("{\"type\":\"relu\"}");
    assertThat(Json.toJson(new SoftmaxCrossEntropy())).isEqualTo("{\"type\":\"softmax_cross_entropy\"}");
    assertThat(Json.fromJson("{\"type\":\"relu\"}", Layer.class)).isEqualTo(new ReLU());
  }

  @Test
  void shapeIsAnIntArray() {
    assertThat(Json.toJson(Shape.of(1, 28, 28))).isEqualTo("[1,28,28]");
    assertThat(Json.fromJson("[784]", Shape.class)).isEqualTo(Shape.of(784));
  }

  @Test
  void sequentialWithEveryLayerRoundTrips() {
    Sequential s = Sequential.of(Shape.of(1, 4, 4), new Flatten(),
        new Dense(8).withInitializer(Initializer.HE_NORMAL).withRegularizer(new Regularizer(1e-5, 1e-4)),
        new ReLU(), new LeakyReLU(0.1), new ELU(0.5), new GELU(), new Sigmoid(), new Tanh(), new Dropout(0.25),
        new Dense(3, false, Initializer.GLOROT_NORMAL, Initializer.ZEROS, null), new Softmax());
    Sequential back = roundTrip(s, Sequential.class);
    assertThat(back.layout().describe()).isEqualTo(s.layout().describe());
    assertThat(Json.toJson(s)).startsWith("{\"inputShape\":[1,4,4],\"layers\":[{\"type\":\"flatten\"}");
  }

  @Test
  void lossesRoundTrip() {
    for (Loss l : List.of(new SoftmaxCrossEntropy(), new SigmoidBinaryCrossEntropy(), new MeanSquaredError(),
        new MeanAbsoluteError(), new Huber(0.5), new Huber())) {
      roundTrip(l, Loss.class);
    }
    assertThat(Json.toJson(new Huber(0.5))).isEqualTo("{\"type\":\"huber\",\"delta\":0.5}");
  }

  @Test
  void optimizersSchedulesAndTrainingConfigRoundTrip() {
    roundTrip(new Adam(0.01), Optimizer.class);
    roundTrip(new SGD(0.1, 0.9, true, 1e-4), Optimizer.class);
    roundTrip(new ConstantRate(), LearningRateSchedule.class);
    roundTrip(new ReduceOnPlateau("val_accuracy", 0.5, 2, 1e-4, 1e-6), LearningRateSchedule.class);
    TrainingConfig c = TrainingConfig.DEFAULTS.withOptimizer(new SGD(0.05, 0.9, false, 0)).withEpochs(3)
        .withBatchSize(64).withSeed(-5L).withClipGlobalNorm(1.5)
        .withEarlyStopping(new EarlyStopping("val_loss", 2, 0.001, true));
    roundTrip(c, TrainingConfig.class);
  }

  @Test
  void doublesAndLongsAreExact() {
    Adam a = new Adam(0.1 + 0.2, 0.9, 0.999, Math.ulp(1.0), 0);
    assertThat(roundTrip(a, Optimizer.class)).isEqualTo(a);
    TrainingConfig c = TrainingConfig.DEFAULTS.withSeed(Long.MIN_VALUE + 1);
    assertThat(roundTrip(c, TrainingConfig.class).seed()).isEqualTo(Long.MIN_VALUE + 1);
  }

  /** Guards future records: whatever a registered subtype writes must be a key it can read back. */
  @Test
  void everyRegisteredSubtypeReadsWhatItWrites() {
    int checked = 0;
    List<Class<?>> registered = new ArrayList<>();
    registered.addAll(Layers.registry().types());
    registered.addAll(Losses.registry().types());
    registered.addAll(Optimizers.registry().types());
    registered.addAll(Schedules.registry().types());
    for (Class<?> sub : registered) {
      JavaType type = Json.mapper().constructType(sub);
      BeanDescription ser = Json.mapper().getSerializationConfig().introspect(type);
      BeanDescription de = Json.mapper().getDeserializationConfig().introspect(type);
      Set<String> written = new TreeSet<>();
      for (BeanPropertyDefinition p : ser.findProperties()) {
        if (p.couldSerialize()) {
          written.add(p.getName());
        }
      }
      Set<String> readable = new TreeSet<>();
      for (BeanPropertyDefinition p : de.findProperties()) {
        if (p.couldDeserialize() || p.hasConstructorParameter()) {
          readable.add(p.getName());
        }
      }
      assertThat(readable).as(sub.getName() + " writes " + written).containsAll(written);
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(19);
  }

  /** A kind of the user's own, registered once, reads and writes like a built-in one. */
  public record Swish(double beta) implements Layer {
    @Override
    public Shape outputShape(Shape input) {
      return input;
    }

    @Override
    public LayerModel bind(Shape input, ParamLayout layout, int index) {
      throw new UnsupportedOperationException("JSON only");
    }

    @Override
    public String kind() {
      return "swish";
    }
  }

  @Test
  void userKindsJoinTheRegistry() {
    assertThatThrownBy(() -> Json.fromJson("{\"type\":\"swish\",\"beta\":1.5}", Layer.class))
        .hasMessageContaining("swish");
    Layers.registry().register("swish", Swish.class);
    assertThat(Json.fromJson("{\"type\":\"swish\",\"beta\":1.5}", Layer.class)).isEqualTo(new Swish(1.5));
    assertThat(Json.toJson(new Swish(2))).isEqualTo("{\"type\":\"swish\",\"beta\":2.0}");
    assertThatThrownBy(() -> Layers.registry().register("dense", Swish.class))
        .hasMessageContaining("'dense' is io.sparkprop.core.layer.Dense");
  }

  @Test
  void unknownKeysFailWithPathAndLine() {
    String json = "{\"inputShape\": [4],\n \"layers\": [{\"type\": \"relu\"},\n {\"type\": \"dense\", \"units\": 3, \"activaton\": \"relu\"}]}";
    assertThatThrownBy(() -> Json.read(stream(json), Sequential.class, "arch.json"))
        .isInstanceOf(FileFormatException.class)
        .hasMessageStartingWith("arch.json: at layers[1].activaton: ")
        .hasMessageContaining("Unrecognized field \"activaton\"")
        .hasMessageContaining("(line 3, column");
  }

  @Test
  void unknownTypeAndTrailingTextFail() {
    assertThatThrownBy(() -> Json.fromJson("{\"type\":\"relux\"}", Layer.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relux")
        .hasMessageContaining("dense, relu, leaky_relu");
    assertThatThrownBy(() -> Json.fromJson("{\"type\":\"relu\"} []", Layer.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Trailing token");
  }

  @Test
  void badValuesNameTheRecordsProblem() {
    assertThatThrownBy(() -> Json.fromJson("{\"type\":\"dropout\",\"rate\":1.5}", Layer.class))
        .hasMessageContaining("Dropout rate must be in [0, 1), got 1.5");
  }

  @Test
  void streamsAreNotClosed() throws IOException {
    boolean[] closed = {false, false};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream() {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    Json.writePretty(new Adam(0.5), bytes);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("}\n").contains("\n  \"learningRate\" : 0.5");
    InputStream in = new ByteArrayInputStream(bytes.toByteArray()) {
      @Override
      public void close() {
        closed[1] = true;
      }
    };
    assertThat(Json.read(in, Optimizer.class, "opt.json")).isEqualTo(new Adam(0.5));
    assertThat(closed).containsExactly(false, false);
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
