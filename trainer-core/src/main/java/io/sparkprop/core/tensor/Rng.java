package io.sparkprop.core.tensor;

/**
 * A tiny, re-seedable SplitMix64 generator: no allocation, so dropout masks and shuffles can be
 * drawn inside a training step. Streams are derived from (seed, epoch, step, partition) with
 * {@link #mix}, so runs are reproducible whatever the order tasks run in.
 */
public final class Rng {
  private long state;

  public Rng(long seed) {
    this.state = seed;
  }

  /** Restarts the stream at {@code seed}. */
  public void reseed(long seed) {
    this.state = seed;
  }

  /** Next 64 random bits (SplitMix64). */
  public long nextLong() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1) with 24 random bits. */
  public float nextFloat() {
    return (nextLong() >>> 40) * 0x1.0p-24f;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform integer in [0, bound). */
  public int nextInt(int bound) {
    return (int) (((nextLong() >>> 33) * bound) >>> 31);
  }

  /** Standard normal (Box-Muller, one value per call). */
  public double nextGaussian() {
    double u = 1.0 - nextDouble();
    double v = nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
  }

  /** A well-mixed seed for the stream identified by {@code seed} and the given coordinates. */
  public static long mix(long seed, long... coords) {
    long h = seed ^ 0x5DEECE66DL;
    for (long c : coords) {
      h = finalise(h ^ finalise(c + 0x9E3779B97F4A7C15L));
    }
    return h;
  }

  private static long finalise(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }
}
