package io.sparkprop.core.train;

import io.sparkprop.core.layer.Regularizer;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.optim.GradientClipping;
import io.sparkprop.core.optim.OptimizerState;
import io.sparkprop.core.optim.Optimizers;
import java.util.List;

/**
 * The driver's part of a step, the same for local and distributed training:
 * {@code g ← g/n}, check finiteness, add L1/L2 penalty gradients, clip by global norm, optimizer
 * update of the trainable ranges, running-average update of the state ranges. Allocates nothing.
 */
final class StepUpdate {
  /** An L1/L2 penalty on {@code [from, to)}. */
  record Penalty(int from, int to, Regularizer regularizer) {
  }

  private final TrainingConfig config;
  private final int[] trainable;
  private final int[] state;
  private final float[] stateMomentum;
  private final Penalty[] penalties;

  StepUpdate(TrainingConfig config, ParamLayout layout, List<Penalty> penalties) {
    this.config = config;
    this.trainable = layout.trainableRanges();
    this.state = layout.stateRanges();
    this.stateMomentum = new float[state.length / 2];
    int k = 0;
    for (ParamLayout.Entry e : layout.entries()) {
      TensorSpec t = e.spec();
      if (!t.trainable()) {
        stateMomentum[k++] = (float) t.stateMomentum();
      }
    }
    this.penalties = penalties.toArray(new Penalty[0]);
  }

  /**
   * Applies one step to {@code p} from the summed gradient {@code g} of samples of total weight
   * {@code sums.weight()} (their count when unweighted); returns the regularisation penalty (added to the reported loss).
   *
   * @throws TrainingDivergedException before touching {@code p} when the loss or gradient is
   *     not finite
   */
  double apply(float[] p, float[] g, LossSums sums, OptimizerState opt, double lr, int epoch, int step,
               long globalStep) {
    if (!Double.isFinite(sums.lossSum())) {
      throw new TrainingDivergedException(epoch, step, globalStep, "the loss is " + sums.lossSum());
    }
    float inv = (float) (1.0 / sums.weight());
    boolean finite = true;
    for (int i = 0; i < g.length; i++) {
      float v = g[i] * inv;
      g[i] = v;
      finite &= Float.isFinite(v);
    }
    if (!finite) {
      throw new TrainingDivergedException(epoch, step, globalStep, "the gradient has NaN or infinite values");
    }
    double penalty = 0;
    for (Penalty pen : penalties) {
      penalty += pen.regularizer().applyInPlace(p, g, pen.from(), pen.to());
    }
    if (config.clipGlobalNorm() > 0) {
      GradientClipping.clipByGlobalNormInPlace(g, trainable, config.clipGlobalNorm());
    }
    Optimizers.step(config.optimizer(), opt, p, g, lr, trainable);
    for (int r = 0; r < state.length; r += 2) {
      float m = stateMomentum[r / 2];
      for (int i = state[r]; i < state[r + 1]; i++) {
        p[i] = (1 - m) * p[i] + m * g[i];
      }
    }
    return penalty;
  }
}
