package io.sparkprop.core.optim;

import io.sparkprop.core.io.TypeRegistry;

/**
 * The JSON names of the learning-rate schedules (the {@code "type"} key). The built-in kinds are registered
 * here; a user adds one through {@link #registry}, before reading or writing JSON that uses it.
 */
public final class Schedules {
  private static final TypeRegistry<LearningRateSchedule> REGISTRY = new TypeRegistry<>(LearningRateSchedule.class)
      .register("constant", ConstantRate.class)
      .register("step_decay", StepDecay.class)
      .register("exponential_decay", ExponentialDecay.class)
      .register("cosine_decay", CosineDecay.class)
      .register("reduce_on_plateau", ReduceOnPlateau.class);

  private Schedules() {
  }

  /** The registry: {@code registry().register("my_kind", MyKind.class)} adds a kind. */
  public static TypeRegistry<LearningRateSchedule> registry() {
    return REGISTRY;
  }

  /** Jackson's view of the registry (named by {@link LearningRateSchedule}'s annotations). */
  public static final class Resolver extends TypeRegistry.Resolver {
    public Resolver() {
      super(REGISTRY);
    }
  }
}
