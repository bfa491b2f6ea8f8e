package io.sparkprop.core.layer;

import io.sparkprop.core.model.Network;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small finite-difference gradient check for this package's CNN tests (the project-wide one
 * of the core-tests branch may replace it once merged). The function checked is the projection
 * {@code f(θ, x) = Σ_i w_i·out_i} with fixed random weights {@code w} in [-1, 1], evaluated in
 * double from the float32 output, so {@code dOut = w}. For every trainable parameter and every
 * input value it compares the back-propagated gradient with
 * {@code (f(v + h) − f(v − h)) / ((float)(v + h) − (float)(v − h))} and requires
 * {@code |analytic − numeric| ≤ abs + rel·max(|analytic|, |numeric|)}. It also checks the
 * contract that parameter gradients are added into the buffer and the input gradient written.
 */
final class FiniteDifferences {
  private FiniteDifferences() {
  }

  /**
   * Runs the check and throws an AssertionError listing the first mismatches.
   *
   * @return the number of values compared
   */
  static int check(Sequential arch, float[] params, float[] x, int batch, boolean training,
                   double h, double rel, double abs) {
    Network net = arch.network();
    int outSize = net.outputSize() * batch;
    float[] w = new float[outSize];
    Rng rng = new Rng(99);
    for (int i = 0; i < outSize; i++) {
      w[i] = (float) (2 * rng.nextDouble() - 1);
    }
    float[] p = params.clone();
    float[] xs = x.clone();
    float[] grads = new float[p.length];
    float[] dx = new float[xs.length];
    net.forward(p, xs, batch, training, 5L);
    net.backward(p, w, grads, dx, batch, training);

    List<String> bad = new ArrayList<>();
    float[] grads2 = new float[p.length];
    Arrays.fill(grads2, 1f);
    float[] dx2 = new float[xs.length];
    Arrays.fill(dx2, 3f);
    net.forward(p, xs, batch, training, 5L);
    net.backward(p, w, grads2, dx2, batch, training);
    for (int i = 0; i < p.length; i++) {
      if (Math.abs(grads2[i] - 1f - grads[i]) > 1e-5 * (1 + Math.abs(grads[i]))) {
        bad.add("param " + i + " gradient is not added into the buffer");
        break;
      }
    }
    if (!Arrays.equals(dx, dx2)) {
      bad.add("the input gradient depends on what the dx buffer held");
    }

    ParamLayout layout = arch.layout();
    int compared = 0;
    double maxAbs = 0;
    for (ParamLayout.Entry e : layout.entries()) {
      if (!e.spec().trainable()) {
        continue;
      }
      for (int i = e.offset(); i < e.end(); i++) {
        double numeric = difference(net, p, xs, p, i, w, batch, training, h);
        maxAbs = Math.max(maxAbs, Math.abs(grads[i]));
        compared++;
        if (!within(grads[i], numeric, rel, abs)) {
          bad.add("layer " + e.layer() + " " + e.spec().name() + "[" + (i - e.offset()) + "]: analytic "
              + grads[i] + " numeric " + numeric);
        }
      }
    }
    for (int i = 0; i < xs.length; i++) {
      double numeric = difference(net, p, xs, xs, i, w, batch, training, h);
      maxAbs = Math.max(maxAbs, Math.abs(dx[i]));
      compared++;
      if (!within(dx[i], numeric, rel, abs)) {
        bad.add("input[" + i + "]: analytic " + dx[i] + " numeric " + numeric);
      }
    }
    if (!bad.isEmpty()) {
      throw new AssertionError("gradient check of " + arch.layers() + ": " + bad.size() + " of " + compared
          + " values off: " + bad.subList(0, Math.min(10, bad.size())));
    }
    if (!(maxAbs > 0)) {
      throw new AssertionError("gradient check of " + arch.layers() + " compared only zero gradients");
    }
    return compared;
  }

  static boolean within(double analytic, double numeric, double rel, double abs) {
    return Math.abs(analytic - numeric) <= abs + rel * Math.max(Math.abs(analytic), Math.abs(numeric));
  }

  private static double difference(Network net, float[] p, float[] x, float[] target, int i, float[] w,
                                   int batch, boolean training, double h) {
    float v = target[i];
    float plus = (float) (v + h);
    float minus = (float) (v - h);
    target[i] = plus;
    double fPlus = value(net, p, x, w, batch, training);
    target[i] = minus;
    double fMinus = value(net, p, x, w, batch, training);
    target[i] = v;
    return (fPlus - fMinus) / ((double) plus - (double) minus);
  }

  private static double value(Network net, float[] p, float[] x, float[] w, int batch, boolean training) {
    float[] out = net.forward(p, x, batch, training, 5L);
    double f = 0;
    for (int i = 0; i < w.length; i++) {
      f += (double) w[i] * out[i];
    }
    return f;
  }

  /** n distinct values {@code (k − n/2)·spacing} in a seeded random order (no ties for max pooling). */
  static float[] distinct(int n, double spacing, long seed) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((i - n / 2) * spacing);
    }
    Rng rng = new Rng(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      float t = v[i];
      v[i] = v[j];
      v[j] = t;
    }
    return v;
  }

  /** n values uniform in [-1, 1). */
  static float[] uniform(int n, long seed) {
    Rng rng = new Rng(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (2 * rng.nextDouble() - 1);
    }
    return v;
  }
}
