package io.sparkprop.core.testing;

import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares back-propagated gradients with central finite differences of the loss.
 *
 * <p>The function checked is {@code f(θ, x) = loss.lossAndGradient(network.forward(θ, x), y)}, the
 * loss SUM over the batch, evaluated in double from the float32 network output. For every
 * parameter and every input value {@code v} it computes
 * <pre>numeric = (f(v⁺) − f(v⁻)) / (v⁺ − v⁻),  v± = (float) (v ± step)</pre>
 * (the difference of the float values actually used, so the step is exact) and requires
 * <pre>|analytic − numeric| ≤ absolute + relative · max(|analytic|, |numeric|).</pre>
 * With the {@link Tolerance#FLOAT} settings a wrong sign, a factor of two or a missing term of a
 * gradient fails, while float rounding (about 1e-7 relative per output) does not: divided by
 * {@code 2·step = 0.02} it stays near 1e-5.
 *
 * <p>Only trainable parameters are compared: the slots of state tensors (batch-norm running
 * statistics, see {@link io.sparkprop.core.model.TensorSpec}) receive batch statistics, not
 * gradients. It also checks the {@link io.sparkprop.core.layer.LayerModel} contract: parameter
 * gradients are ADDED to what the buffer holds, and the input gradient is WRITTEN (whatever the
 * buffer held before). Dropout masks are identical in every evaluation because the network
 * reseeds its random stream from the same seed on each forward pass. Keep the values that feed a
 * kink (ReLU at 0, MAE at a zero residual) further than the step's effect away from it, or the
 * difference straddles the kink.
 */
public final class GradientCheck {
  /** Seed passed to every forward pass (dropout masks). */
  public static final long SEED = 20240607L;

  private GradientCheck() {
  }

  /**
   * Settings of a check.
   *
   * @param step     finite-difference step added to and subtracted from each value
   * @param relative allowed error relative to the larger of the two gradients
   * @param absolute allowed absolute error (float noise floor)
   */
  public record Tolerance(double step, double relative, double absolute) {
    /** Step 1e-2, 1e-2 relative, 1e-4 absolute: for small float32 networks with O(1) values. */
    public static final Tolerance FLOAT = new Tolerance(1e-2, 1e-2, 1e-4);
  }

  /**
   * One compared value.
   *
   * @param what     "param 12 (layer 0 kernel[2, 1])" or "input[3, 4]"
   * @param analytic back-propagated gradient
   * @param numeric  central difference
   */
  public record Mismatch(String what, double analytic, double numeric) {
    @Override
    public String toString() {
      return what + ": analytic " + analytic + ", numeric " + numeric;
    }
  }

  /**
   * What a check found.
   *
   * @param compared      number of values compared (trainable parameters + inputs)
   * @param maxAbsGradient largest |analytic| seen (a check of all-zero gradients proves nothing)
   * @param mismatches    values outside the tolerance
   * @param contract      violations of the add-into-grads / write-dx contract (empty when fine)
   */
  public record Result(int compared, double maxAbsGradient, List<Mismatch> mismatches, List<String> contract) {
    /** True when nothing is wrong. */
    public boolean ok() {
      return mismatches.isEmpty() && contract.isEmpty();
    }
  }

  /**
   * Runs the comparison and fails (AssertionError naming the worst values) on any mismatch or
   * contract violation, or when every gradient is zero.
   *
   * @param arch       the architecture
   * @param loss       the loss on its output
   * @param params     parameters (length {@code arch.paramCount()}); not modified
   * @param x          inputs {@code [batch, inputSize]}; not modified
   * @param y          labels {@code [batch, labelWidth]}
   * @param labelWidth floats per label row
   * @param batch      number of samples
   * @param training   forward in training mode (dropout active)
   * @param tol        step and tolerances
   */
  public static Result check(Sequential arch, Loss loss, float[] params, float[] x, float[] y,
                             int labelWidth, int batch, boolean training, Tolerance tol) {
    return check(arch, loss, params, x, null, y, labelWidth, batch, training, tol);
  }

  /**
   * {@link #check} of sequences with per-sample real {@code lengths} (null: all real), handed to
   * the layers through the pass as a data set's lengths are.
   */
  public static Result check(Sequential arch, Loss loss, float[] params, float[] x, int[] lengths, float[] y,
                             int labelWidth, int batch, boolean training, Tolerance tol) {
    Result r = measure(arch, loss, params, x, lengths, y, labelWidth, batch, training, tol);
    if (!r.ok()) {
      List<Mismatch> shown = r.mismatches().subList(0, Math.min(8, r.mismatches().size()));
      throw new AssertionError("gradient check of " + arch.layers() + " with " + loss + " failed: "
          + r.mismatches().size() + " of " + r.compared() + " values off " + shown + " " + r.contract());
    }
    if (!(r.maxAbsGradient() > 0)) {
      throw new AssertionError("gradient check of " + arch.layers() + " compared only zero gradients");
    }
    return r;
  }

  /** The same comparison, returning what it found without failing. */
  public static Result measure(Sequential arch, Loss loss, float[] params, float[] x, float[] y,
                               int labelWidth, int batch, boolean training, Tolerance tol) {
    return measure(arch, loss, params, x, null, y, labelWidth, batch, training, tol);
  }

  /** The same comparison with sequence lengths, returning what it found without failing. */
  public static Result measure(Sequential arch, Loss loss, float[] params, float[] x, int[] lengths, float[] y,
                               int labelWidth, int batch, boolean training, Tolerance tol) {
    Network net = arch.network();
    int in = net.inputSize();
    if (params.length != arch.paramCount() || x.length != batch * in || y.length != batch * labelWidth) {
      throw new IllegalArgumentException("gradient check needs " + arch.paramCount() + " params, " + batch * in
          + " inputs and " + batch * labelWidth + " labels, got " + params.length + ", " + x.length + ", "
          + y.length);
    }
    float[] p = params.clone();
    float[] xs = x.clone();
    float[] grads = new float[p.length];
    float[] dx = new float[xs.length];
    analytic(net, loss, p, xs, lengths, y, labelWidth, batch, training, grads, dx);

    List<String> contract = new ArrayList<>();
    float[] grads2 = new float[p.length];
    float[] dx2 = new float[xs.length];
    for (int i = 0; i < grads2.length; i++) {
      grads2[i] = 1f + (i % 3);
    }
    Arrays.fill(dx2, 7.5f);
    analytic(net, loss, p, xs, lengths, y, labelWidth, batch, training, grads2, dx2);
    for (int i = 0; i < grads2.length; i++) {
      double added = (double) grads2[i] - (1f + (i % 3));
      if (Math.abs(added - grads[i]) > 1e-5 * (1 + Math.abs(grads[i]))) {
        contract.add("param " + i + ": backward does not add into grads (" + grads[i] + " from zero, "
            + added + " on top of " + (1f + (i % 3)) + ")");
        break;
      }
    }
    if (!Arrays.equals(dx, dx2)) {
      contract.add("the input gradient depends on what the dx buffer held (it must be written, not added)");
    }

    List<Mismatch> bad = new ArrayList<>();
    double maxAbs = 0;
    ParamLayout layout = arch.layout();
    boolean[] trainable = new boolean[p.length];
    int compared = xs.length;
    for (ParamLayout.Entry e : layout.entries()) {
      Arrays.fill(trainable, e.offset(), e.end(), e.spec().trainable());
      compared += e.spec().trainable() ? e.spec().size() : 0;
    }
    for (int i = 0; i < p.length; i++) {
      if (!trainable[i]) {
        continue; // state slots hold batch statistics, not gradients
      }
      float v = p[i];
      double numeric = difference(net, loss, p, xs, lengths, p, i, y, labelWidth, batch, training, tol.step());
      p[i] = v;
      maxAbs = Math.max(maxAbs, Math.abs(grads[i]));
      if (!within(grads[i], numeric, tol)) {
        bad.add(new Mismatch("param " + i + " (" + where(layout, i) + ")", grads[i], numeric));
      }
    }
    for (int i = 0; i < xs.length; i++) {
      float v = xs[i];
      double numeric = difference(net, loss, p, xs, lengths, xs, i, y, labelWidth, batch, training, tol.step());
      xs[i] = v;
      maxAbs = Math.max(maxAbs, Math.abs(dx[i]));
      if (!within(dx[i], numeric, tol)) {
        bad.add(new Mismatch("input[" + i / in + ", " + i % in + "]", dx[i], numeric));
      }
    }
    return new Result(compared, maxAbs, bad, contract);
  }

  /** |a − n| ≤ absolute + relative·max(|a|, |n|). */
  public static boolean within(double analytic, double numeric, Tolerance tol) {
    double err = Math.abs(analytic - numeric);
    return err <= tol.absolute() + tol.relative() * Math.max(Math.abs(analytic), Math.abs(numeric));
  }

  private static void analytic(Network net, Loss loss, float[] p, float[] x, int[] lengths, float[] y,
                               int labelWidth, int batch, boolean training, float[] grads, float[] dx) {
    float[] o = net.forward(p, x, null, lengths, batch, training, SEED);
    float[] dOut = new float[batch * net.outputSize()];
    loss.lossAndGradient(o, y, batch, net.outputSize(), labelWidth, dOut);
    net.backward(p, dOut, grads, dx, batch, training);
  }

  /** Central difference of f in {@code target[i]} (target is p or x); leaves target[i] changed. */
  private static double difference(Network net, Loss loss, float[] p, float[] x, int[] lengths, float[] target,
                                   int i,
                                   float[] y, int labelWidth, int batch, boolean training, double step) {
    float v = target[i];
    float plus = (float) (v + step);
    float minus = (float) (v - step);
    target[i] = plus;
    double fPlus = value(net, loss, p, x, lengths, y, labelWidth, batch, training);
    target[i] = minus;
    double fMinus = value(net, loss, p, x, lengths, y, labelWidth, batch, training);
    return (fPlus - fMinus) / ((double) plus - (double) minus);
  }

  /** f(θ, x): the loss sum of the batch, in double. */
  public static double value(Network net, Loss loss, float[] p, float[] x, float[] y, int labelWidth, int batch,
                             boolean training) {
    return value(net, loss, p, x, null, y, labelWidth, batch, training);
  }

  /** f(θ, x) of sequences with per-sample {@code lengths} (null: all real). */
  public static double value(Network net, Loss loss, float[] p, float[] x, int[] lengths, float[] y, int labelWidth,
                             int batch, boolean training) {
    float[] o = net.forward(p, x, null, lengths, batch, training, SEED);
    return loss.lossAndGradient(o, y, batch, net.outputSize(), labelWidth, null);
  }

  private static String where(ParamLayout layout, int i) {
    for (ParamLayout.Entry e : layout.entries()) {
      if (i >= e.offset() && i < e.end()) {
        return "layer " + e.layer() + " " + e.spec().name() + "@" + (i - e.offset());
      }
    }
    return "outside the layout";
  }
}
