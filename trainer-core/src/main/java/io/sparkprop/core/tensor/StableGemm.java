package io.sparkprop.core.tensor;

/**
 * A {@link Gemm} whose every output element is summed in one fixed order, whatever the shapes,
 * the element's position and the machine: for C = alpha·op(A)·op(B) + beta·C,
 *
 * <pre>s = 0; for p in 0 .. k-1: s = s + a[i,p]·b[p,j]     (a float product, then a float sum)
 * c[i,j] = alpha·s + beta·c[i,j]                          (beta = 0: alpha·s, c not read)</pre>
 *
 * <p>Java's floating-point arithmetic is strict (JLS 15.4, since Java 17) and C2 never fuses a
 * product and a sum into an FMA, so each element's bits depend only on its own row of op(A) and
 * column of op(B): a row of a batch gets the same bits alone, in a block of 1,024 rows or at any
 * position in it. That makes inference results independent of the block size and of whether
 * native BLAS exists, at the price of speed against BLAS (no FMA, no reassociation).
 *
 * <p>With {@code --add-modules jdk.incubator.vector} (as Spark's and our scripts' JVM flags have
 * it) the sums run in {@link StableVectorKernel}: C tiles in vector registers over the whole of
 * k, lanewise products and sums in the same order, so the same bits. Without the module, plain
 * loops: C rows in pairs, the columns j innermost so that C2
 * vectorises {@code s[j] += a·b[p][j]} along j, two steps of p per pass (each sum still takes its
 * products one at a time, in order of p), and k in panels of {@link #KB} so that the B panel is
 * read from cache by every row pair. C2 (JDK 17) vectorises such a loop only when every array in
 * it is indexed by j itself and its body is small, hence the workspaces: B as one array per row,
 * the sums as one array per C row. Transposed operands are copied into them transposed.
 * Workspaces only grow: steady-state calls allocate nothing. Not thread-safe (one per network).
 */
public final class StableGemm implements Gemm {
  /** Whether the Vector API is there (the module resolved at startup) and works. */
  static final boolean VECTOR_API = vectorApi();
  /** Steps of p per k panel: 256 rows of a 256-wide B are 256 KiB, within L2. */
  static final int KB = 256;
  /** B (op(B), [k, n]) one row per array. */
  private float[][] bRows = new float[0][];
  /** The running sums of C, one row per array. */
  private float[][] sums = new float[0][];
  /** op(A) and op(B) transposed into row-major form, for the Vector API path. */
  private float[] flatA = new float[0];
  private float[] flatB = new float[0];
  private final boolean vector;

  /** The kernel, through the Vector API when the JVM has it. */
  public StableGemm() {
    this(true);
  }

  /** The kernel, through the Vector API only when {@code vector} and the JVM has it (tests compare both). */
  StableGemm(boolean vector) {
    this.vector = vector && VECTOR_API;
  }

  private static boolean vectorApi() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      float[] c = new float[1];
      StableVectorKernel.gemm(1, 1, 1, 1f, new float[] {2f}, 0, new float[] {3f}, 0, 0f, c, 0);
      return c[0] == 6f;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                   float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
    if (m == 0 || n == 0) {
      return;
    }
    if (vector) {
      if (transA) {
        flatA = transpose(a, aOff, k, m, flatA);
        a = flatA;
        aOff = 0;
      }
      if (transB) {
        flatB = transpose(b, bOff, n, k, flatB);
        b = flatB;
        bOff = 0;
      }
      StableVectorKernel.gemm(m, n, k, alpha, a, aOff, b, bOff, beta, c, cOff);
      return;
    }
    bRows = packB(transB, b, bOff, k, n, bRows);
    sums = grow(sums, m + 1, n);
    // op(A) row i is a[aOff + i*k + p]; transposed it is a[aOff + p*m + i]: step and stride
    int rowStride = transA ? 1 : k;
    int step = transA ? m : 1;
    for (int i = 0; i <= m; i++) {
      java.util.Arrays.fill(sums[i], 0, n, 0f);
    }
    for (int p0 = 0; p0 < k; p0 += KB) {
      int p1 = Math.min(k, p0 + KB);
      int i = 0;
      for (; i + 1 < m; i += 2) {
        rows2(a, aOff + i * rowStride, aOff + (i + 1) * rowStride, step, bRows, n, sums[i], sums[i + 1], p0, p1);
      }
      if (i < m) {
        // an odd last row goes twice, the second time into a spare row that is never read
        rows2(a, aOff + i * rowStride, aOff + i * rowStride, step, bRows, n, sums[i], sums[m], p0, p1);
      }
    }
    for (int i = 0; i < m; i++) {
      store(sums[i], n, alpha, beta, c, cOff + i * n);
    }
  }

  /** c[at, at + n) = alpha·s + beta·c (c not read when beta = 0). */
  private static void store(float[] s, int n, float alpha, float beta, float[] c, int at) {
    if (beta == 0f) {
      for (int j = 0; j < n; j++) {
        c[at + j] = alpha * s[j];
      }
    } else {
      for (int j = 0; j < n; j++) {
        c[at + j] = alpha * s[j] + beta * c[at + j];
      }
    }
  }

  /**
   * s0[j] and s1[j] gain op(A)[row, p]·B[p][j] for p in [p0, p1) in order of p, j in [0, n);
   * op(A)[row, p] is a[x + p·step] for row 0 and a[y + p·step] for row 1.
   */
  private static void rows2(float[] a, int x, int y, int step, float[][] b, int n, float[] s0, float[] s1,
                            int p0, int p1) {
    int p = p0;
    for (; p + 1 < p1; p += 2) {
      float x0 = a[x + p * step];
      float x1 = a[x + (p + 1) * step];
      float y0 = a[y + p * step];
      float y1 = a[y + (p + 1) * step];
      float[] b0 = b[p];
      float[] b1 = b[p + 1];
      for (int j = 0; j < n; j++) {
        float v0 = b0[j];
        float v1 = b1[j];
        float s = s0[j];
        s += x0 * v0;
        s += x1 * v1;
        s0[j] = s;
        float t = s1[j];
        t += y0 * v0;
        t += y1 * v1;
        s1[j] = t;
      }
    }
    if (p < p1) {
      float x0 = a[x + p * step];
      float y0 = a[y + p * step];
      float[] b0 = b[p];
      for (int j = 0; j < n; j++) {
        s0[j] += x0 * b0[j];
        s1[j] += y0 * b0[j];
      }
    }
  }

  /** op(B) as {@code k} arrays of at least {@code n} values (B is [k, n], or [n, k] when transposed). */
  private static float[][] packB(boolean transB, float[] b, int bOff, int k, int n, float[][] rows) {
    rows = grow(rows, k, n);
    for (int p = 0; p < k; p++) {
      float[] r = rows[p];
      if (transB) {
        for (int j = 0; j < n; j++) {
          r[j] = b[bOff + j * k + p];
        }
      } else {
        System.arraycopy(b, bOff + p * n, r, 0, n);
      }
    }
    return rows;
  }

  /** The row-major transpose of {@code x[rows, cols]} (at {@code off}) into {@code into} (grown if short). */
  private static float[] transpose(float[] x, int off, int rows, int cols, float[] into) {
    float[] t = into.length >= rows * cols ? into : new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      int src = off + r * cols;
      for (int q = 0; q < cols; q++) {
        t[q * rows + r] = x[src + q];
      }
    }
    return t;
  }

  /** {@code rows} with at least {@code count} arrays of at least {@code width} values (grown, never shrunk). */
  private static float[][] grow(float[][] rows, int count, int width) {
    float[][] g = rows.length >= count ? rows : java.util.Arrays.copyOf(rows, count);
    for (int i = 0; i < count; i++) {
      if (g[i] == null || g[i].length < width) {
        g[i] = new float[width];
      }
    }
    return g;
  }

  @Override
  public String name() {
    return vector ? "stable (fixed summation order, Vector API)" : "stable (fixed summation order, plain Java)";
  }
}
