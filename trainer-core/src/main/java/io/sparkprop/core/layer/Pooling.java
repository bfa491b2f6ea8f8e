package io.sparkprop.core.layer;

import java.util.Arrays;

/** The maths of {@link MaxPool2D}, {@link AvgPool2D} and {@link GlobalAveragePooling2D}. */
final class Pooling {
  private Pooling() {
  }

  static void check(String layer, int size, int stride) {
    if (size <= 0 || stride <= 0) {
      throw new IllegalArgumentException(layer + " size and stride must be positive, got size=" + size
          + " stride=" + stride);
    }
  }

  /** Max pooling; remembers the input index of each output's maximum (a workspace that only grows). */
  static final class Max implements LayerModel {
    private final Window g;
    private int[] argmax = new int[0];

    Max(Window window) {
      this.g = window;
    }

    @Override
    public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
      int planes = batch * g.channels();
      int outPlane = g.outPlane();
      if (argmax.length < planes * outPlane) {
        argmax = new int[planes * outPlane];
      }
      if (g.padTop() == 0 && g.padLeft() == 0 && (g.outH() - 1) * g.stride() + g.size() <= g.height()
          && (g.outW() - 1) * g.stride() + g.size() <= g.width()) {
        forwardInside(x, y, planes);
        return;
      }
      int h = g.height();
      int w = g.width();
      for (int q = 0; q < planes; q++) {
        int in = q * g.inPlane();
        int out = q * outPlane;
        for (int oh = 0; oh < g.outH(); oh++) {
          int r0 = oh * g.stride() - g.padTop();
          int rLo = Math.max(r0, 0);
          int rHi = Math.min(r0 + g.size(), h);
          for (int ow = 0; ow < g.outW(); ow++) {
            int c0 = ow * g.stride() - g.padLeft();
            int cLo = Math.max(c0, 0);
            int cHi = Math.min(c0 + g.size(), w);
            int best = in + rLo * w + cLo;
            float max = x[best];
            for (int r = rLo; r < rHi; r++) {
              int row = in + r * w;
              for (int c = cLo; c < cHi; c++) {
                if (x[row + c] > max) {
                  max = x[row + c];
                  best = row + c;
                }
              }
            }
            int o = out + oh * g.outW() + ow;
            y[o] = max;
            argmax[o] = best;
          }
        }
      }
    }

    /** The common case: every window lies inside the input (no clipping). */
    private void forwardInside(float[] x, float[] y, int planes) {
      int w = g.width();
      int size = g.size();
      int stride = g.stride();
      int outW = g.outW();
      int o = 0;
      for (int q = 0; q < planes; q++) {
        int in = q * g.inPlane();
        for (int oh = 0; oh < g.outH(); oh++) {
          int rowStart = in + oh * stride * w;
          for (int ow = 0; ow < outW; ow++, o++) {
            int first = rowStart + ow * stride;
            int best = first;
            float max = x[first];
            for (int r = 0; r < size; r++) {
              int row = first + r * w;
              for (int c = 0; c < size; c++) {
                float v = x[row + c];
                if (v > max) {
                  max = v;
                  best = row + c;
                }
              }
            }
            y[o] = max;
            argmax[o] = best;
          }
        }
      }
    }

    /** dx = 0, then dx[argmax[o]] += dy[o]. */
    @Override
    public void backward(Backward b) {
      float[] dy = b.outputGrad();
      float[] dx = b.inputGrad();
      int batch = b.batch();
      if (dx == null) {
        return;
      }
      Arrays.fill(dx, 0, batch * g.channels() * g.inPlane(), 0f);
      int n = batch * g.channels() * g.outPlane();
      for (int o = 0; o < n; o++) {
        dx[argmax[o]] += dy[o];
      }
    }
  }

  /** Average pooling over the real cells of each window. */
  static final class Avg implements LayerModel {
    private final Window g;

    Avg(Window window) {
      this.g = window;
    }

    @Override
    public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
      pool(x, y, null, batch);
    }

    @Override
    public void backward(Backward b) {
      float[] dy = b.outputGrad();
      float[] dx = b.inputGrad();
      int batch = b.batch();
      if (dx != null) {
        Arrays.fill(dx, 0, batch * g.channels() * g.inPlane(), 0f);
        pool(null, dy, dx, batch);
      }
    }

    /** Forward (x → y) when {@code dx} is null, else backward (y holds dy, adds into dx). */
    private void pool(float[] x, float[] y, float[] dx, int batch) {
      int planes = batch * g.channels();
      int h = g.height();
      int w = g.width();
      for (int q = 0; q < planes; q++) {
        int in = q * g.inPlane();
        int out = q * g.outPlane();
        for (int oh = 0; oh < g.outH(); oh++) {
          int r0 = oh * g.stride() - g.padTop();
          int rLo = Math.max(r0, 0);
          int rHi = Math.min(r0 + g.size(), h);
          for (int ow = 0; ow < g.outW(); ow++) {
            int c0 = ow * g.stride() - g.padLeft();
            int cLo = Math.max(c0, 0);
            int cHi = Math.min(c0 + g.size(), w);
            float inv = 1f / ((rHi - rLo) * (cHi - cLo));
            int o = out + oh * g.outW() + ow;
            if (dx == null) {
              float sum = 0f;
              for (int r = rLo; r < rHi; r++) {
                for (int c = cLo; c < cHi; c++) {
                  sum += x[in + r * w + c];
                }
              }
              y[o] = sum * inv;
            } else {
              float d = y[o] * inv;
              for (int r = rLo; r < rHi; r++) {
                for (int c = cLo; c < cHi; c++) {
                  dx[in + r * w + c] += d;
                }
              }
            }
          }
        }
      }
    }
  }

  /** Mean over each channel's plane. */
  static final class GlobalAvg implements LayerModel {
    private final int planes;
    private final int plane;

    GlobalAvg(Window window) {
      this.planes = window.channels();
      this.plane = window.inPlane();
    }

    @Override
    public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
      int n = batch * planes;
      for (int q = 0; q < n; q++) {
        double sum = 0;
        int in = q * plane;
        for (int i = 0; i < plane; i++) {
          sum += x[in + i];
        }
        y[q] = (float) (sum / plane);
      }
    }

    @Override
    public void backward(Backward b) {
      float[] dy = b.outputGrad();
      float[] dx = b.inputGrad();
      int batch = b.batch();
      if (dx == null) {
        return;
      }
      int n = batch * planes;
      for (int q = 0; q < n; q++) {
        float d = dy[q] / plane;
        Arrays.fill(dx, q * plane, (q + 1) * plane, d);
      }
    }
  }
}
