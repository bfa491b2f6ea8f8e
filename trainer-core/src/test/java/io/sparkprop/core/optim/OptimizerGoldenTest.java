package io.sparkprop.core.optim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sparkprop.core.testing.Golden;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ten PyTorch optimizer trajectories of the golden test resources: five steps each from a start vector,
 * compared after every step to 1e-5 relative + 1e-6 absolute (float vs PyTorch's float64). The
 * six golden values are spread over two ranges of a larger vector whose other entries carry
 * gradients too and must stay untouched.
 */
class OptimizerGoldenTest {
  private static final double REL = 1e-5;
  private static final double ABS = 1e-6;
  /** Golden index i lives at POSITIONS[i] of an 11-long vector; ranges [0,2) and [5,9). */
  private static final int[] POSITIONS = {0, 1, 5, 6, 7, 8};
  private static final int[] RANGES = {0, 2, 5, 9};
  private static final int SIZE = 11;
  private static final float OUTSIDE = 42.5f;

  @ParameterizedTest
  @ValueSource(strings = {"opt_sgd", "opt_sgd_momentum", "opt_sgd_nesterov", "opt_sgd_weight_decay", "opt_adam",
      "opt_adam_l2", "opt_adam_clipped", "opt_adamw", "opt_rmsprop", "opt_adagrad"})
  void matchesPyTorch(String name) throws IOException {
    JsonNode c = Golden.load(name).root();
    Optimizer opt = optimizer(c.get("settings"));
    JsonNode clipNode = c.get("clip_global_norm");
    double clip = clipNode == null || clipNode.isNull() ? 0 : clipNode.asDouble();
    float[] p = new float[SIZE];
    Arrays.fill(p, OUTSIDE);
    double[] start = data(c.get("start"));
    for (int i = 0; i < start.length; i++) {
      p[POSITIONS[i]] = (float) start[i];
    }
    OptimizerState state = OptimizerState.create(opt, SIZE);
    JsonNode grads = c.get("gradients");
    JsonNode expected = c.get("expected_after_each_step");
    assertThat(grads.size()).isEqualTo(expected.size()).isPositive();
    for (int s = 0; s < grads.size(); s++) {
      float[] g = new float[SIZE];
      Arrays.fill(g, 1e3f); // outside the ranges: must neither count in the norm nor move p
      double[] gs = data(grads.get(s));
      for (int i = 0; i < gs.length; i++) {
        g[POSITIONS[i]] = (float) gs[i];
      }
      if (clip > 0) {
        GradientClipping.clipByGlobalNormInPlace(g, RANGES, clip);
      }
      Optimizers.step(opt, state, p, g, opt.learningRate(), RANGES);
      double[] e = data(expected.get(s));
      for (int i = 0; i < e.length; i++) {
        double got = p[POSITIONS[i]];
        assertThat(Math.abs(got - e[i]))
            .as("%s step %d index %d: got %s, PyTorch %s", name, s + 1, i, got, e[i])
            .isLessThanOrEqualTo(ABS + REL * Math.abs(e[i]));
      }
      for (int i : new int[] {2, 3, 4, 9, 10}) {
        assertThat(p[i]).as("%s: index %d outside the ranges", name, i).isEqualTo(OUTSIDE);
      }
    }
    assertThat(state.step()).isEqualTo(grads.size());
  }

  /** The optimizer record for a golden case's settings; fails on any key it does not map. */
  static Optimizer optimizer(JsonNode s) {
    String type = s.get("type").asText();
    Set<String> known = switch (type) {
      case "sgd" -> Set.of("type", "lr", "momentum", "nesterov", "l2_weight_decay");
      case "adam" -> Set.of("type", "lr", "beta1", "beta2", "eps", "l2_weight_decay");
      case "adamw" -> Set.of("type", "lr", "beta1", "beta2", "eps", "decoupled_weight_decay");
      case "rmsprop" -> Set.of("type", "lr", "rho", "eps", "momentum", "l2_weight_decay");
      case "adagrad" -> Set.of("type", "lr", "eps", "initial_accumulator", "l2_weight_decay");
      default -> throw new AssertionError("golden case with unknown optimizer " + type);
    };
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    assertThat(known).as("settings keys mapped for " + type).containsAll(keys);
    double lr = s.get("lr").asDouble();
    double l2 = s.path("l2_weight_decay").asDouble(0);
    return switch (type) {
      case "sgd" -> new SGD(lr, s.path("momentum").asDouble(0), s.path("nesterov").asBoolean(false), l2);
      case "adam" -> new Adam(lr, s.get("beta1").asDouble(), s.get("beta2").asDouble(), s.get("eps").asDouble(), l2);
      case "adamw" -> new AdamW(lr, s.get("beta1").asDouble(), s.get("beta2").asDouble(), s.get("eps").asDouble(),
          s.get("decoupled_weight_decay").asDouble());
      case "rmsprop" -> new RMSProp(lr, s.get("rho").asDouble(), s.path("momentum").asDouble(0),
          s.get("eps").asDouble(), l2);
      default -> new Adagrad(lr, s.path("initial_accumulator").asDouble(0), s.get("eps").asDouble(), l2);
    };
  }

  private static double[] data(JsonNode tensor) {
    JsonNode d = tensor.get("data");
    double[] out = new double[d.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = d.get(i).asDouble();
    }
    return out;
  }
}
