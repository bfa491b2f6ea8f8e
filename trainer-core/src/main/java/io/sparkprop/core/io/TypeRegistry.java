package io.sparkprop.core.io;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DatabindContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.jsontype.impl.TypeIdResolverBase;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The names under which the implementations of one polymorphic type (layers, losses, optimizers,
 * schedules) are written to and read from JSON's {@code "type"} key. Built-in kinds register
 * themselves; a user adds a kind with one {@link #register} call, without editing a list.
 *
 * @param <T> the base type
 */
public final class TypeRegistry<T> {
  private final Class<T> base;
  private final Map<String, Class<? extends T>> byName = new ConcurrentHashMap<>();
  private final Map<Class<?>, String> byType = new ConcurrentHashMap<>();
  private final List<String> order = new CopyOnWriteArrayList<>();

  /** An empty registry of implementations of {@code base}. */
  public TypeRegistry(Class<T> base) {
    this.base = base;
  }

  /**
   * Registers {@code type} under {@code name}; returns this.
   *
   * @throws IllegalArgumentException when the name or the type is already registered otherwise
   */
  public synchronized TypeRegistry<T> register(String name, Class<? extends T> type) {
    if (!base.isAssignableFrom(type)) {
      throw new IllegalArgumentException(type.getName() + " is not a " + base.getSimpleName());
    }
    Class<? extends T> old = byName.get(name);
    String oldName = byType.get(type);
    if ((old != null && old != type) || (oldName != null && !oldName.equals(name))) {
      throw new IllegalArgumentException("cannot register " + type.getName() + " as " + base.getSimpleName()
          + " '" + name + "': '" + (old != null ? name + "' is " + old.getName() : oldName + "' names it already"));
    }
    if (byName.put(name, type) == null) {
      order.add(name);
    }
    byType.put(type, name);
    return this;
  }

  /** The registered type of {@code name}, or null. */
  public Class<? extends T> type(String name) {
    return byName.get(name);
  }

  /** The name {@code type} is registered under, or null. */
  public String name(Class<?> type) {
    return byType.get(type);
  }

  /** The registered types. */
  public Collection<Class<? extends T>> types() {
    return List.copyOf(byName.values());
  }

  /** The registered names in registration order, for error messages. */
  public String names() {
    return String.join(", ", order);
  }

  /**
   * The Jackson bridge: a base type names a subclass of this (with a no-argument constructor)
   * in {@code @JsonTypeIdResolver}, next to {@code @JsonTypeInfo(use = CUSTOM, property = "type")}.
   */
  public abstract static class Resolver extends TypeIdResolverBase {
    private final TypeRegistry<?> registry;

    protected Resolver(TypeRegistry<?> registry) {
      this.registry = registry;
    }

    @Override
    public String idFromValue(Object value) {
      return idFromValueAndType(value, value.getClass());
    }

    @Override
    public String idFromValueAndType(Object value, Class<?> type) {
      String name = registry.name(type);
      if (name == null) {
        throw new IllegalArgumentException(type.getName() + " is not registered as a "
            + registry.base.getSimpleName() + "; register it under a name first");
      }
      return name;
    }

    @Override
    public JavaType typeFromId(DatabindContext context, String id) {
      Class<?> type = registry.type(id);
      return type == null ? null : context.constructType(type);
    }

    @Override
    public String getDescForKnownTypeIds() {
      return registry.names();
    }

    @Override
    public JsonTypeInfo.Id getMechanism() {
      return JsonTypeInfo.Id.CUSTOM;
    }
  }
}
