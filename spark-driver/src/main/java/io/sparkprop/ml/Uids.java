package io.sparkprop.ml;

/**
 * Hands a uid to a Java subclass of a Spark ML class while the Scala superclass is being
 * constructed. Spark's shared params ({@code featuresCol}, {@code labelCol}, ...) are created in
 * the superclass constructor and record {@code uid()} as their parent, before a Java constructor
 * can assign a field. Each constructor therefore stashes its uid here first
 * ({@code this(Uids.stash(uid), null)}), {@code uid()} returns the stashed value until the field
 * is set, and the constructor clears it.
 */
final class Uids {
  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  private Uids() {
  }

  /** Remembers {@code uid} for the constructor about to run on this thread; returns it. */
  static String stash(String uid) {
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException("a uid must be a non-empty string");
    }
    PENDING.set(uid);
    return uid;
  }

  /** The uid of the object under construction on this thread. */
  static String pending() {
    String u = PENDING.get();
    if (u == null) {
      throw new IllegalStateException("uid() called during construction without a stashed uid");
    }
    return u;
  }

  /** Forgets the stashed uid (the constructor has assigned its field). */
  static void clear() {
    PENDING.remove();
  }
}
