package io.sparkprop.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.layer.Backward;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.layer.LayerModel;
import io.sparkprop.core.layer.Pass;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.model.Initializer;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The checker itself: it passes a correct layer and catches each kind of backward bug. */
class GradientCheckTest {

  enum Bug { NONE, WRONG_SIGN_DX, MISSING_PARAM_GRAD, HALF_PARAM_GRAD, OVERWRITES_GRADS, ADDS_INTO_DX,
    MISSING_TERM_DX }

  /** y = w ⊙ x + x²/4 element-wise, with a deliberate bug in its backward pass. */
  record Scale(Bug bug) implements Layer {
    @Override
    public Shape outputShape(Shape input) {
      return input;
    }

    @Override
    public List<TensorSpec> params(Shape input) {
      return List.of(TensorSpec.trainable("scale", input, Initializer.ONES, 1, 1));
    }

    @Override
    public LayerModel bind(Shape input, ParamLayout layout, int index) {
      int off = layout.offset(index, "scale");
      int size = input.size();
      return new LayerModel() {
        @Override
        public void forward(float[] p, float[] in, float[] out, int batch, Pass pass) {
          for (int i = 0; i < batch * size; i++) {
            out[i] = p[off + i % size] * in[i] + in[i] * in[i] / 4;
          }
        }

        @Override
        public void backward(Backward b) {
          float[] p = b.params();
          float[] in = b.input();
          float[] dOut = b.outputGrad();
          float[] dIn = b.inputGrad();
          float[] grads = b.paramGrads();
          int batch = b.batch();
          for (int i = 0; i < batch * size; i++) {
            float g = dOut[i] * in[i];
            switch (bug) {
              case MISSING_PARAM_GRAD -> { }
              case HALF_PARAM_GRAD -> grads[off + i % size] += g / 2;
              case OVERWRITES_GRADS -> grads[off + i % size] = i < size ? g : grads[off + i % size] + g;
              default -> grads[off + i % size] += g;
            }
            if (dIn != null) {
              float d = dOut[i] * (p[off + i % size] + in[i] / 2);
              switch (bug) {
                case WRONG_SIGN_DX -> dIn[i] = -d;
                case ADDS_INTO_DX -> dIn[i] += d;
                case MISSING_TERM_DX -> dIn[i] = dOut[i] * p[off + i % size];
                default -> dIn[i] = d;
              }
            }
          }
        }
      };
    }

    @Override
    public String kind() {
      return "scale";
    }
  }

  /** y = w ⊙ x with a state tensor that receives batch·mean(x) per feature (as batch norm does). */
  record WithState() implements Layer {
    @Override
    public Shape outputShape(Shape input) {
      return input;
    }

    @Override
    public List<TensorSpec> params(Shape input) {
      return List.of(TensorSpec.trainable("scale", input, Initializer.ONES, 1, 1),
          TensorSpec.state("running_mean", input, Initializer.ZEROS, 0.1));
    }

    @Override
    public LayerModel bind(Shape input, ParamLayout layout, int index) {
      int w = layout.offset(index, "scale");
      int st = layout.offset(index, "running_mean");
      int size = input.size();
      return new LayerModel() {
        @Override
        public void forward(float[] p, float[] in, float[] out, int batch, Pass pass) {
          for (int i = 0; i < batch * size; i++) {
            out[i] = p[w + i % size] * in[i];
          }
        }

        @Override
        public void backward(Backward b) {
          float[] p = b.params();
          float[] in = b.input();
          float[] dOut = b.outputGrad();
          float[] dIn = b.inputGrad();
          float[] grads = b.paramGrads();
          int batch = b.batch();
          for (int i = 0; i < batch * size; i++) {
            grads[w + i % size] += dOut[i] * in[i];
            grads[st + i % size] += in[i];
            if (dIn != null) {
              dIn[i] = dOut[i] * p[w + i % size];
            }
          }
        }
      };
    }

    @Override
    public String kind() {
      return "with_state";
    }
  }

  @Test
  void skipsStateTensors() {
    Sequential arch = Sequential.of(Shape.of(2), new WithState());
    GradientCheck.Result r = GradientCheck.check(arch, new MeanSquaredError(), new float[] {0.5f, -1.5f, 0, 0},
        new float[] {0.3f, 0.8f, -0.6f, 1.2f}, new float[] {1, -1, 0.5f, 0.25f}, 2, 2, true,
        GradientCheck.Tolerance.FLOAT);
    assertThat(r.compared()).isEqualTo(2 + 4);
  }

  private static GradientCheck.Result run(Bug bug) {
    Sequential arch = Sequential.of(Shape.of(3), new Scale(bug));
    float[] p = {0.7f, -1.2f, 0.4f};
    float[] x = {0.5f, -0.8f, 1.1f, -0.3f, 0.9f, -1.4f};
    float[] y = {0.1f, 0.2f, -0.3f, 0.4f, -0.5f, 0.6f};
    return GradientCheck.measure(arch, new MeanSquaredError(), p, x, y, 3, 2, false,
        GradientCheck.Tolerance.FLOAT);
  }

  @Test
  void passesCorrectBackward() {
    GradientCheck.Result r = run(Bug.NONE);
    assertThat(r.mismatches()).isEmpty();
    assertThat(r.contract()).isEmpty();
    assertThat(r.compared()).isEqualTo(3 + 6);
    assertThat(r.maxAbsGradient()).isGreaterThan(0.1);
  }

  @ParameterizedTest
  @EnumSource(value = Bug.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void catchesEachBug(Bug bug) {
    assertThat(run(bug).ok()).as(bug.name()).isFalse();
  }

  @Test
  void checkFailsLoudlyWithTheWorstValues() {
    Sequential arch = Sequential.of(Shape.of(3), new Scale(Bug.WRONG_SIGN_DX));
    assertThatThrownBy(() -> GradientCheck.check(arch, new MeanSquaredError(), new float[] {1, 1, 1},
        new float[] {0.5f, -0.8f, 1.1f}, new float[] {0, 0, 0}, 3, 1, false, GradientCheck.Tolerance.FLOAT))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("input[0, 0]");
  }

  @Test
  void refusesAllZeroGradients() {
    Sequential arch = Sequential.of(Shape.of(2), new Dense(2));
    // the targets equal the outputs of zero parameters: every gradient is zero
    assertThatThrownBy(() -> GradientCheck.check(arch, new MeanSquaredError(), new float[6],
        new float[] {1, 2}, new float[] {0, 0}, 2, 1, false, GradientCheck.Tolerance.FLOAT))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("only zero gradients");
  }
}
