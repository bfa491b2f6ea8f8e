package io.sparkprop.core.layer;

/**
 * The maths of {@link GlobalAveragePooling1D} and {@link GlobalMaxPooling1D} over the real steps
 * {@code t < L} of each sample: mean ({@code dx[t] = dy/L}) or max ({@code dx[t*] = dy} at the
 * arg-max kept from the forward pass, 0 elsewhere).
 */
final class SequencePooling implements LayerModel {
  private final int steps;
  private final int features;
  private final boolean max;
  private int[] argmax = new int[0];

  SequencePooling(int steps, int features, boolean max) {
    this.steps = steps;
    this.features = features;
    this.max = max;
  }

  @Override
  public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
    int[] lengths = pass.lengths();
    int f = features;
    if (max && argmax.length < batch * f) {
      argmax = new int[batch * f];
    }
    for (int r = 0; r < batch; r++) {
      int len = SequenceMask.length(lengths, r, steps);
      int o = r * steps * f;
      int out = r * f;
      if (len == 0) {
        java.util.Arrays.fill(y, out, out + f, 0f);
        if (max) {
          java.util.Arrays.fill(argmax, out, out + f, -1);
        }
        continue;
      }
      if (max) {
        for (int j = 0; j < f; j++) {
          int best = 0;
          float v = x[o + j];
          for (int t = 1; t < len; t++) {
            float c = x[o + t * f + j];
            if (c > v) {
              v = c;
              best = t;
            }
          }
          y[out + j] = v;
          argmax[out + j] = best;
        }
      } else {
        java.util.Arrays.fill(y, out, out + f, 0f);
        for (int t = 0; t < len; t++) {
          int row = o + t * f;
          for (int j = 0; j < f; j++) {
            y[out + j] += x[row + j];
          }
        }
        float inv = 1f / len;
        for (int j = 0; j < f; j++) {
          y[out + j] *= inv;
        }
      }
    }
  }

  @Override
  public void backward(Backward b) {
    float[] dy = b.outputGrad();
    float[] dx = b.inputGrad();
    if (dx == null) {
      return;
    }
    int[] lengths = b.pass().lengths();
    int f = features;
    int batch = b.batch();
    java.util.Arrays.fill(dx, 0, batch * steps * f, 0f);
    for (int r = 0; r < batch; r++) {
      int len = SequenceMask.length(lengths, r, steps);
      int o = r * steps * f;
      int out = r * f;
      if (len == 0) {
        continue;
      }
      if (max) {
        for (int j = 0; j < f; j++) {
          dx[o + argmax[out + j] * f + j] = dy[out + j];
        }
      } else {
        float inv = 1f / len;
        for (int t = 0; t < len; t++) {
          int row = o + t * f;
          for (int j = 0; j < f; j++) {
            dx[row + j] = dy[out + j] * inv;
          }
        }
      }
    }
  }
}
