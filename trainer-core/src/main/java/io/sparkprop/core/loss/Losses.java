package io.sparkprop.core.loss;

import io.sparkprop.core.io.TypeRegistry;

/**
 * The JSON names of the losses (the {@code "type"} key). The built-in kinds are registered
 * here; a user adds one through {@link #registry}, before reading or writing JSON that uses it.
 */
public final class Losses {
  private static final TypeRegistry<Loss> REGISTRY = new TypeRegistry<>(Loss.class)
      .register("softmax_cross_entropy", SoftmaxCrossEntropy.class)
      .register("sigmoid_binary_cross_entropy", SigmoidBinaryCrossEntropy.class)
      .register("mean_squared_error", MeanSquaredError.class)
      .register("mean_absolute_error", MeanAbsoluteError.class)
      .register("huber", Huber.class);

  private Losses() {
  }

  /** The registry: {@code registry().register("my_kind", MyKind.class)} adds a kind. */
  public static TypeRegistry<Loss> registry() {
    return REGISTRY;
  }

  /** Jackson's view of the registry (named by {@link Loss}'s annotations). */
  public static final class Resolver extends TypeRegistry.Resolver {
    public Resolver() {
      super(REGISTRY);
    }
  }
}
