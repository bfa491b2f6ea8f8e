package io.sparkprop.core.layer;

/** The three cells' equations (PyTorch's, gate blocks in PyTorch's order). */
final class Cells {
  /** h = tanh(z). */
  static final RecurrentModel.Cell RNN = new Rnn();
  /** Gates i, f, g, o. */
  static final RecurrentModel.Cell LSTM = new Lstm();
  /** Gates r, z, n with the reset gate on the recurrent term including its bias. */
  static final RecurrentModel.Cell GRU = new Gru();

  private Cells() {
  }

  private static final class Rnn extends RecurrentModel.Cell {
    @Override
    int gates() {
      return 1;
    }

    @Override
    void forward(int batch, int h, int[] lengths, int steps, int t, float[] zx, float[] zh, int z, float[] hs,
                 float[] cs, int prev, int cur) {
      for (int r = 0; r < batch; r++) {
        if (!real(lengths, steps, r, t)) {
          System.arraycopy(hs, prev + r * h, hs, cur + r * h, h);
          continue;
        }
        for (int j = 0; j < h; j++) {
          float v = tanh(zx[z + r * h + j]);
          zx[z + r * h + j] = v;
          hs[cur + r * h + j] = v;
        }
      }
    }

    /** dz = dh·(1 − h²). */
    @Override
    void backward(int batch, int h, int[] lengths, int steps, int t, float[] zx, float[] zh, int z, float[] hs,
                  float[] cs, int prev, int cur, float[] dzx, float[] dzh, float[] dh, float[] dc, float[] dhNext) {
      for (int r = 0; r < batch; r++) {
        boolean real = real(lengths, steps, r, t);
        for (int j = 0; j < h; j++) {
          int i = r * h + j;
          float v = zx[z + i];
          dzx[z + i] = real ? dh[i] * (1 - v * v) : 0f;
          dhNext[i] = real ? 0f : dh[i];
        }
      }
    }
  }

  private static final class Lstm extends RecurrentModel.Cell {
    @Override
    int gates() {
      return 4;
    }

    @Override
    boolean needsCellState() {
      return true;
    }

    /** c = f⊙c' + i⊙g, h = o⊙tanh(c); the activated gates replace the pre-activations. */
    @Override
    void forward(int batch, int h, int[] lengths, int steps, int t, float[] zx, float[] zh, int z, float[] hs,
                 float[] cs, int prev, int cur) {
      int g4 = 4 * h;
      for (int r = 0; r < batch; r++) {
        int s = r * h;
        if (!real(lengths, steps, r, t)) {
          System.arraycopy(hs, prev + s, hs, cur + s, h);
          System.arraycopy(cs, prev + s, cs, cur + s, h);
          continue;
        }
        int o = z + r * g4;
        for (int j = 0; j < h; j++) {
          float ig = sigmoid(zx[o + j]);
          float fg = sigmoid(zx[o + h + j]);
          float gg = tanh(zx[o + 2 * h + j]);
          float og = sigmoid(zx[o + 3 * h + j]);
          zx[o + j] = ig;
          zx[o + h + j] = fg;
          zx[o + 2 * h + j] = gg;
          zx[o + 3 * h + j] = og;
          float c = fg * cs[prev + s + j] + ig * gg;
          cs[cur + s + j] = c;
          hs[cur + s + j] = og * tanh(c);
        }
      }
    }

    /**
     * dc += dh·o·(1 − tanh²c); di = dc·g·i(1−i), df = dc·c'·f(1−f), dg = dc·i·(1−g²),
     * do = dh·tanh(c)·o(1−o); dc' = dc·f.
     */
    @Override
    void backward(int batch, int h, int[] lengths, int steps, int t, float[] zx, float[] zh, int z, float[] hs,
                  float[] cs, int prev, int cur, float[] dzx, float[] dzh, float[] dh, float[] dc, float[] dhNext) {
      int g4 = 4 * h;
      for (int r = 0; r < batch; r++) {
        int s = r * h;
        int o = z + r * g4;
        if (!real(lengths, steps, r, t)) {
          java.util.Arrays.fill(dzx, o, o + g4, 0f);
          System.arraycopy(dh, s, dhNext, s, h);
          continue;
        }
        for (int j = 0; j < h; j++) {
          float ig = zx[o + j];
          float fg = zx[o + h + j];
          float gg = zx[o + 2 * h + j];
          float og = zx[o + 3 * h + j];
          float tc = tanh(cs[cur + s + j]);
          float d = dh[s + j];
          float dcv = dc[s + j] + d * og * (1 - tc * tc);
          dzx[o + j] = dcv * gg * ig * (1 - ig);
          dzx[o + h + j] = dcv * cs[prev + s + j] * fg * (1 - fg);
          dzx[o + 2 * h + j] = dcv * ig * (1 - gg * gg);
          dzx[o + 3 * h + j] = d * tc * og * (1 - og);
          dc[s + j] = dcv * fg;
          dhNext[s + j] = 0f;
        }
      }
    }
  }

  private static final class Gru extends RecurrentModel.Cell {
    @Override
    int gates() {
      return 3;
    }

    @Override
    boolean separateRecurrent() {
      return true;
    }

    /**
     * r = σ(xr + hr), z = σ(xz + hz), n = tanh(xn + r⊙hn), h = (1 − z)⊙n + z⊙h'; zx keeps r, z, n
     * and zh keeps hn = h'·Un + b_rec,n.
     */
    @Override
    void forward(int batch, int h, int[] lengths, int steps, int t, float[] zx, float[] zh, int z, float[] hs,
                 float[] cs, int prev, int cur) {
      int g3 = 3 * h;
      for (int r = 0; r < batch; r++) {
        int s = r * h;
        if (!real(lengths, steps, r, t)) {
          System.arraycopy(hs, prev + s, hs, cur + s, h);
          continue;
        }
        int o = z + r * g3;
        for (int j = 0; j < h; j++) {
          float rg = sigmoid(zx[o + j] + zh[o + j]);
          float zg = sigmoid(zx[o + h + j] + zh[o + h + j]);
          float ng = tanh(zx[o + 2 * h + j] + rg * zh[o + 2 * h + j]);
          zx[o + j] = rg;
          zx[o + h + j] = zg;
          zx[o + 2 * h + j] = ng;
          hs[cur + s + j] = (1 - zg) * ng + zg * hs[prev + s + j];
        }
      }
    }

    /**
     * dn = dh·(1−z)·(1−n²), dz = dh·(h' − n)·z(1−z), dr = dn·hn·r(1−r); the recurrent n block gets
     * dn·r; dh' (direct) = dh·z.
     */
    @Override
    void backward(int batch, int h, int[] lengths, int steps, int t, float[] zx, float[] zh, int z, float[] hs,
                  float[] cs, int prev, int cur, float[] dzx, float[] dzh, float[] dh, float[] dc, float[] dhNext) {
      int g3 = 3 * h;
      for (int r = 0; r < batch; r++) {
        int s = r * h;
        int o = z + r * g3;
        if (!real(lengths, steps, r, t)) {
          java.util.Arrays.fill(dzx, o, o + g3, 0f);
          java.util.Arrays.fill(dzh, o, o + g3, 0f);
          System.arraycopy(dh, s, dhNext, s, h);
          continue;
        }
        for (int j = 0; j < h; j++) {
          float rg = zx[o + j];
          float zg = zx[o + h + j];
          float ng = zx[o + 2 * h + j];
          float d = dh[s + j];
          float dn = d * (1 - zg) * (1 - ng * ng);
          float dz = d * (hs[prev + s + j] - ng) * zg * (1 - zg);
          float dr = dn * zh[o + 2 * h + j] * rg * (1 - rg);
          dzx[o + j] = dr;
          dzx[o + h + j] = dz;
          dzx[o + 2 * h + j] = dn;
          dzh[o + j] = dr;
          dzh[o + h + j] = dz;
          dzh[o + 2 * h + j] = dn * rg;
          dhNext[s + j] = d * zg;
        }
      }
    }
  }
}
