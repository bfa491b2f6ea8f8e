package io.sparkprop.core.layer;

/**
 * The padding convention of sequence activations {@code [batch, T, F]}: step {@code t} of sample
 * {@code r} is real iff {@code t < lengths[r]} ({@link Pass#lengths()}, null: every step real).
 * Padded steps output zero and pass no gradient.
 */
final class SequenceMask {
  private SequenceMask() {
  }

  /** Real steps of sample {@code r}: {@code min(T, lengths[r])}, or T without lengths. */
  static int length(int[] lengths, int r, int steps) {
    return lengths == null ? steps : Math.max(0, Math.min(steps, lengths[r]));
  }

  /** Zeroes the padded rows of {@code a[batch, steps, features]}. */
  static void zeroPadded(float[] a, int batch, int steps, int features, int[] lengths) {
    if (lengths == null) {
      return;
    }
    for (int r = 0; r < batch; r++) {
      int len = length(lengths, r, steps);
      if (len < steps) {
        java.util.Arrays.fill(a, (r * steps + len) * features, (r + 1) * steps * features, 0f);
      }
    }
  }

  /** The checked sequence shape {@code (T, F)} of a layer's input; {@code who} names the layer. */
  static void requireSequence(io.sparkprop.core.tensor.Shape input, String who) {
    if (input.rank() != 2) {
      throw new IllegalArgumentException(who + " needs a sequence input (steps, features), got " + input);
    }
  }
}
