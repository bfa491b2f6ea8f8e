package io.sparkprop.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end PyTorch case {@code train_mlp_adam_3_steps}: three Adam steps through the real
 * training loop ({@link Trainer#fit(Model, GradientSource, Evaluator, TrainingState)}), each on
 * its own batch, compared after every step to 1e-6 + 1e-5·|golden|, and the loss before each step.
 */
class GoldenTrainingTest {

  /** Serves batch {@code s} of the case at step {@code s}, computed with a real Network. */
  private static final class FixedBatches implements GradientSource {
    private final Network net;
    private final List<float[]> xs = new ArrayList<>();
    private final List<float[]> ys = new ArrayList<>();
    final List<Double> meanLoss = new ArrayList<>();
    final List<float[]> paramsSeen = new ArrayList<>();

    FixedBatches(Sequential arch, JsonNode batches) {
      this.net = arch.network();
      for (JsonNode b : batches) {
        xs.add(Golden.tensor(b.get("input"), "input").floats());
        float[] y = new float[b.get("labels").size()];
        for (int i = 0; i < y.length; i++) {
          y[i] = b.get("labels").get(i).asInt();
        }
        ys.add(y);
      }
    }

    @Override
    public long size() {
      return 5L * xs.size();
    }

    @Override
    public LossSums gradient(float[] params, int epoch, int step, int steps, float[] grad) {
      paramsSeen.add(params.clone());
      java.util.Arrays.fill(grad, 0f);
      float[] y = ys.get(step);
      LossSums s = net.trainBatch(params, xs.get(step), y, 1, y.length, new SoftmaxCrossEntropy(), 0L, grad);
      meanLoss.add(s.meanLoss());
      return s;
    }
  }

  @Test
  void threeAdamStepsMatchPyTorch() {
    Golden g = Golden.load("train_mlp_adam_3_steps");
    JsonNode layers = g.node("layers");
    int in = Golden.tensor(layers.get(0).get("kernel"), "kernel").dim(0);
    Sequential arch = Sequential.of(Shape.of(in), new Dense(8), new ReLU(), new Dense(3));
    ParamLayout layout = arch.layout();
    float[] p = new float[layout.size()];
    copy(layers.get(0), layout, 0, p);
    copy(layers.get(2), layout, 2, p);
    Model model = new Model(arch, new SoftmaxCrossEntropy(), p);
    JsonNode opt = g.node("optimizer");
    Adam adam = new Adam(opt.get("lr").asDouble(), opt.get("beta1").asDouble(), opt.get("beta2").asDouble(),
        opt.get("eps").asDouble(), 0);
    FixedBatches source = new FixedBatches(arch, g.node("batches"));
    TrainingConfig cfg = TrainingConfig.DEFAULTS.withOptimizer(adam).withEpochs(1).withBatchSize(5);
    new Trainer(cfg).fit(model, source, null, null);

    JsonNode expected = g.node("expected_parameters_after_each_step");
    assertThat(source.paramsSeen).hasSize(3);
    for (int step = 0; step < 3; step++) {
      double lossBefore = g.node("batches").get(step).get("loss_before_step").asDouble();
      assertThat(source.meanLoss.get(step)).isCloseTo(lossBefore, org.assertj.core.data.Offset.offset(1e-6 + 1e-5 * lossBefore));
      float[] after = step < 2 ? source.paramsSeen.get(step + 1) : model.params();
      float[] want = new float[layout.size()];
      copy(expected.get(step).get(0), layout, 0, want);
      copy(expected.get(step).get(1), layout, 2, want);
      for (int i = 0; i < want.length; i++) {
        assertThat((double) after[i]).as("step %d param %d", step + 1, i)
            .isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-6 + 1e-5 * Math.abs(want[i])));
      }
    }
  }

  private static void copy(JsonNode dense, ParamLayout layout, int layer, float[] p) {
    float[] k = Golden.tensor(dense.get("kernel"), "kernel").floats();
    float[] b = Golden.tensor(dense.get("bias"), "bias").floats();
    System.arraycopy(k, 0, p, layout.offset(layer, "kernel"), k.length);
    System.arraycopy(b, 0, p, layout.offset(layer, "bias"), b.length);
  }
}
