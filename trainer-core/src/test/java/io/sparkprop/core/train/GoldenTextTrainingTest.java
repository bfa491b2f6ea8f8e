package io.sparkprop.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Embedding;
import io.sparkprop.core.layer.LSTM;
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
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end PyTorch case {@code train_text_lstm_adam_3_steps}: Embedding → LSTM (state at
 * each sample's last real step) → Dense, three Adam steps through the real training loop, token
 * ids and lengths handed to the network as ints; parameters after every step to
 * 1e-6 + 1e-5·|golden| and the loss before each step.
 */
class GoldenTextTrainingTest {

  private static final class TokenBatches implements GradientSource {
    private final Network net;
    private final List<int[]> ids = new ArrayList<>();
    private final List<int[]> lengths = new ArrayList<>();
    private final List<float[]> labels = new ArrayList<>();
    final List<Double> meanLoss = new ArrayList<>();
    final List<float[]> paramsSeen = new ArrayList<>();

    TokenBatches(Sequential arch, JsonNode batches, int steps) {
      this.net = arch.network();
      for (JsonNode b : batches) {
        int n = b.get("labels").size();
        int[] id = new int[n * steps];
        int[] len = new int[n];
        float[] y = new float[n];
        for (int r = 0; r < n; r++) {
          for (int t = 0; t < steps; t++) {
            id[r * steps + t] = b.get("ids").get(r).get(t).asInt();
          }
          len[r] = b.get("lengths").get(r).asInt();
          y[r] = b.get("labels").get(r).asInt();
        }
        ids.add(id);
        lengths.add(len);
        labels.add(y);
      }
    }

    @Override
    public long size() {
      return 3L * ids.size();
    }

    @Override
    public LossSums gradient(float[] params, int epoch, int step, int steps, float[] grad) {
      paramsSeen.add(params.clone());
      java.util.Arrays.fill(grad, 0f);
      float[] y = labels.get(step);
      LossSums s = net.trainBatch(params, new float[0], ids.get(step), lengths.get(step), y, 1, y.length,
          new SoftmaxCrossEntropy(), 0L, grad);
      meanLoss.add(s.meanLoss());
      return s;
    }
  }

  @Test
  void threeAdamStepsMatchPyTorch() {
    Golden g = Golden.load("train_text_lstm_adam_3_steps");
    JsonNode init = g.node("initial_parameters");
    Golden.Tensor emb = Golden.tensor(init.get("embedding"), "embedding");
    int units = Golden.tensor(init.get("lstm").get("recurrent_kernel"), "recurrent_kernel").dim(0);
    int classes = Golden.tensor(init.get("dense_bias"), "dense_bias").dim(0);
    JsonNode batches = g.node("batches");
    int steps = batches.get(0).get("ids").get(0).size();
    Sequential arch = Sequential.of(Shape.of(steps), new Embedding(emb.dim(0), emb.dim(1)), new LSTM(units),
        new Dense(classes));
    ParamLayout layout = arch.layout();
    Model model = new Model(arch, new SoftmaxCrossEntropy(), params(init, layout));
    JsonNode opt = g.node("optimizer");
    Adam adam = new Adam(opt.get("lr").asDouble(), opt.get("beta1").asDouble(), opt.get("beta2").asDouble(),
        opt.get("eps").asDouble(), 0);
    TokenBatches source = new TokenBatches(arch, batches, steps);
    TrainingConfig cfg = TrainingConfig.DEFAULTS.withOptimizer(adam).withEpochs(1).withBatchSize(3);
    new Trainer(cfg).fit(model, source, null, null);

    assertThat(source.paramsSeen).hasSize(3);
    for (int step = 0; step < 3; step++) {
      double before = batches.get(step).get("loss_before_step").asDouble();
      assertThat(source.meanLoss.get(step)).isCloseTo(before, Offset.offset(1e-6 + 1e-5 * before));
      float[] after = step < 2 ? source.paramsSeen.get(step + 1) : model.params();
      float[] want = params(g.node("expected_parameters_after_each_step").get(step), layout);
      for (int i = 0; i < want.length; i++) {
        assertThat((double) after[i]).as("step %d param %d", step + 1, i)
            .isCloseTo(want[i], Offset.offset(1e-6 + 1e-5 * Math.abs(want[i])));
      }
    }
  }

  private static float[] params(JsonNode p, ParamLayout layout) {
    float[] out = new float[layout.size()];
    put(out, layout.offset(0, "embeddings"), p.get("embedding"));
    for (String name : new String[] {"kernel", "recurrent_kernel", "input_bias", "recurrent_bias"}) {
      put(out, layout.offset(1, name), p.get("lstm").get(name));
    }
    put(out, layout.offset(2, "kernel"), p.get("dense_kernel"));
    put(out, layout.offset(2, "bias"), p.get("dense_bias"));
    return out;
  }

  private static void put(float[] out, int at, JsonNode tensor) {
    float[] f = Golden.tensor(tensor, "tensor").floats();
    System.arraycopy(f, 0, out, at, f.length);
  }
}
