package io.sparkprop.benchmarks;

/**
 * One GEMM shape, {@code C[m×n] = op(A)[m×k]·op(B)[k×n]}, written {@code "op:MxKxN"} with op one of
 * {@code AB}, {@code AtB} (Aᵀ·B, the weight gradient Xᵀ·dY of backprop) and {@code ABt} (A·Bᵀ, the
 * input gradient dY·Wᵀ). Costs {@code 2·m·n·k} floating-point operations.
 *
 * @param transA whether A is stored transposed ({@code [k×m]})
 * @param transB whether B is stored transposed ({@code [n×k]})
 */
public record GemmCase(String name, boolean transA, boolean transB, int m, int k, int n) {

  /**
   * Parses {@code "AB:128x784x256"} and the like.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static GemmCase parse(String text) {
    String[] parts = text.split(":");
    String[] dims = parts.length == 2 ? parts[1].split("x") : new String[0];
    if (dims.length != 3) {
      throw new IllegalArgumentException("GEMM case '" + text + "' should read op:MxKxN with op AB, AtB or ABt");
    }
    boolean ta;
    boolean tb;
    switch (parts[0]) {
      case "AB" -> {
        ta = false;
        tb = false;
      }
      case "AtB" -> {
        ta = true;
        tb = false;
      }
      case "ABt" -> {
        ta = false;
        tb = true;
      }
      default -> throw new IllegalArgumentException("GEMM case '" + text + "': op should be AB, AtB or ABt, got '"
          + parts[0] + "'");
    }
    try {
      return new GemmCase(text, ta, tb, Integer.parseInt(dims[0]), Integer.parseInt(dims[1]),
          Integer.parseInt(dims[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("GEMM case '" + text + "': sizes should be integers", e);
    }
  }

  /** Floating-point operations of one product: {@code 2·m·n·k}. */
  public double flops() {
    return 2.0 * m * n * k;
  }
}
