package io.sparkprop.core.layer;

import io.sparkprop.core.tensor.Gemm;
import io.sparkprop.core.tensor.Gemms;
import java.util.Arrays;

/**
 * The maths of {@link Conv2D} as im2col + GEMM. With {@code K = C·k²} and {@code P = outH·outW},
 * a chunk of {@code n} samples is unfolded into {@code col[K, n·P]} (row {@code (c, i, j)},
 * column {@code (sample, oh, ow)}), and
 *
 * <pre>
 * forward:  rows[F, n·P] = W[F, K] · col              then y[b, f, :] = rows[f, b·P..] + bias[f]
 * backward: dW[F, K]    += dRows[F, n·P] · colᵀ       db[f] += Σ dRows[f, :]
 *           dCol[K, n·P] = Wᵀ · dRows                 then dx = col2im(dCol) (overlaps add up)
 * </pre>
 *
 * Samples are processed in chunks so that {@code col} holds at most about {@link #COL_FLOATS}
 * floats whatever the batch size. The workspaces ({@code col}, {@code rows}) are allocated once
 * and only grow. Backward walks the chunks last to first, so the last forward chunk's {@code col}
 * is reused rather than unfolded again (with one chunk, nothing is recomputed); {@code dCol} is
 * written over {@code col} once {@code dW} has used it.
 */
final class Conv2DModel implements LayerModel {
  /** Upper bound on the unfolded chunk, in floats (16 MiB), unless one sample needs more. */
  static final int COL_FLOATS = 1 << 22;
  private final Window g;
  private final int filters;
  private final int kernel;
  private final int bias;
  private final int k;
  private final int plane;
  private final int colFloats;
  private final Gemm gemm = Gemms.best();
  private float[] col = new float[0];
  private float[] rows = new float[0];
  /** What {@code col} holds: the unfolded samples [colFrom, colFrom + colCount) of colSource. */
  private float[] colSource;
  private int colFrom = -1;
  private int colCount;

  /**
   * @param colFloats cap on the unfolded chunk in floats ({@link #COL_FLOATS}; tests use smaller
   *                  values to exercise chunking)
   */
  Conv2DModel(Window window, int filters, int kernelOffset, int biasOffset, int colFloats) {
    this.g = window;
    this.filters = filters;
    this.kernel = kernelOffset;
    this.bias = biasOffset;
    this.k = window.channels() * window.size() * window.size();
    this.plane = window.outPlane();
    this.colFloats = colFloats;
  }

  /** Samples per chunk for a batch of {@code batch}. */
  private int chunk(int batch) {
    long perSample = (long) k * plane;
    return (int) Math.max(1, Math.min(batch, colFloats / perSample));
  }

  private void ensure(int chunk) {
    int need = Math.multiplyExact(Math.multiplyExact(k, plane), chunk);
    if (col.length < need) {
      col = new float[need];
      colFrom = -1;
    }
    int needRows = Math.multiplyExact(Math.multiplyExact(filters, plane), chunk);
    if (rows.length < needRows) {
      rows = new float[needRows];
    }
  }

  @Override
  public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
    int chunk = chunk(batch);
    ensure(chunk);
    int outSample = filters * plane;
    for (int from = 0; from < batch; from += chunk) {
      int n = Math.min(chunk, batch - from);
      int cols = n * plane;
      im2col(x, from, n);
      pass.gemm().gemm(false, false, filters, cols, k, 1f, params, kernel, col, 0, 0f, rows, 0);
      for (int f = 0; f < filters; f++) {
        float b = bias >= 0 ? params[bias + f] : 0f;
        int src = f * cols;
        for (int s = 0; s < n; s++) {
          int dst = (from + s) * outSample + f * plane;
          int r = src + s * plane;
          for (int p = 0; p < plane; p++) {
            y[dst + p] = rows[r + p] + b;
          }
        }
      }
    }
  }

  @Override
  public void backward(Backward b) {
    float[] params = b.params();
    float[] x = b.input();
    float[] dy = b.outputGrad();
    float[] dx = b.inputGrad();
    float[] grads = b.paramGrads();
    int batch = b.batch();
    int chunk = chunk(batch);
    ensure(chunk);
    int outSample = filters * plane;
    int lastFrom = (batch - 1) / chunk * chunk;
    for (int from = lastFrom; from >= 0; from -= chunk) {
      int n = Math.min(chunk, batch - from);
      int cols = n * plane;
      for (int f = 0; f < filters; f++) {
        int dst = f * cols;
        for (int s = 0; s < n; s++) {
          System.arraycopy(dy, (from + s) * outSample + f * plane, rows, dst + s * plane, plane);
        }
        if (bias >= 0) {
          double sum = 0;
          for (int i = dst; i < dst + cols; i++) {
            sum += rows[i];
          }
          grads[bias + f] += (float) sum;
        }
      }
      if (colSource != x || colFrom != from || colCount != n) {
        im2col(x, from, n);
      }
      gemm.gemm(false, true, filters, k, cols, 1f, rows, 0, col, 0, 1f, grads, kernel);
      if (dx != null) {
        gemm.gemm(true, false, k, cols, filters, 1f, params, kernel, rows, 0, 0f, col, 0);
        colFrom = -1;
        col2im(dx, from, n);
      }
    }
  }

  /** col[K, n·P] ← the windows of samples [from, from + n) of x. */
  private void im2col(float[] x, int from, int n) {
    int size = g.size();
    int stride = g.stride();
    int h = g.height();
    int w = g.width();
    int outW = g.outW();
    int cols = n * plane;
    int inSample = g.channels() * g.inPlane();
    for (int c = 0; c < g.channels(); c++) {
      for (int i = 0; i < size; i++) {
        for (int j = 0; j < size; j++) {
          int rowBase = ((c * size + i) * size + j) * cols;
          int lo = g.firstInsideColumn(j);
          int hi = g.endInsideColumn(j);
          int shift = j - g.padLeft();
          for (int s = 0; s < n; s++) {
            int xPlane = (from + s) * inSample + c * g.inPlane();
            int dstSample = rowBase + s * plane;
            for (int oh = 0; oh < g.outH(); oh++) {
              int dst = dstSample + oh * outW;
              int ih = oh * stride - g.padTop() + i;
              if (ih < 0 || ih >= h) {
                Arrays.fill(col, dst, dst + outW, 0f);
                continue;
              }
              int src = xPlane + ih * w + shift;
              Arrays.fill(col, dst, dst + lo, 0f);
              if (stride == 1) {
                System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
              } else {
                for (int ow = lo; ow < hi; ow++) {
                  col[dst + ow] = x[src + ow * stride];
                }
              }
              Arrays.fill(col, dst + hi, dst + outW, 0f);
            }
          }
        }
      }
    }
    colSource = x;
    colFrom = from;
    colCount = n;
  }

  /** dx[from, from + n) ← col2im(col): each unfolded cell adds into the input cell it came from. */
  private void col2im(float[] dx, int from, int n) {
    int size = g.size();
    int stride = g.stride();
    int h = g.height();
    int w = g.width();
    int outW = g.outW();
    int cols = n * plane;
    int inSample = g.channels() * g.inPlane();
    Arrays.fill(dx, from * inSample, (from + n) * inSample, 0f);
    for (int c = 0; c < g.channels(); c++) {
      for (int i = 0; i < size; i++) {
        for (int j = 0; j < size; j++) {
          int rowBase = ((c * size + i) * size + j) * cols;
          int lo = g.firstInsideColumn(j);
          int hi = g.endInsideColumn(j);
          int shift = j - g.padLeft();
          for (int s = 0; s < n; s++) {
            int xPlane = (from + s) * inSample + c * g.inPlane();
            int srcSample = rowBase + s * plane;
            for (int oh = 0; oh < g.outH(); oh++) {
              int ih = oh * stride - g.padTop() + i;
              if (ih < 0 || ih >= h) {
                continue;
              }
              int src = srcSample + oh * outW;
              int dst = xPlane + ih * w + shift;
              for (int ow = lo; ow < hi; ow++) {
                dx[dst + ow * stride] += col[src + ow];
              }
            }
          }
        }
      }
    }
  }
}
