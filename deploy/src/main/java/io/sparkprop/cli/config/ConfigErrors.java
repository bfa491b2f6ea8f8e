package io.sparkprop.cli.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonTypeIdResolver;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.sparkprop.core.tensor.Shape;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns Jackson's binding errors into one line naming the key path and what was expected, e.g.
 * {@code training.epochs: expected an integer, got "ten"} or
 * {@code training.optimzer: unknown key; expected one of: batchSize, clipGlobalNorm, ...}.
 */
final class ConfigErrors {
  private ConfigErrors() {
  }

  /** The message for {@code e}, raised while binding {@code tree}. */
  static String describe(JsonProcessingException e, JsonNode tree) {
    if (!(e instanceof JsonMappingException m)) {
      return located(e.getOriginalMessage(), e.getLocation());
    }
    String path = path(m.getPath());
    if (e instanceof UnrecognizedPropertyException u) {
      return join(path, "unknown key; expected one of: " + names(u.getKnownPropertyIds()));
    }
    if (e instanceof InvalidTypeIdException t) {
      Class<?> base = t.getBaseType() == null ? null : t.getBaseType().getRawClass();
      String prop = typeProperty(base);
      String choices = subtypeNames(base);
      String what = t.getTypeId() == null ? "missing" : "unknown value \"" + t.getTypeId() + "\"";
      return join(path.isEmpty() ? prop : path + "." + prop, what + "; expected one of: " + choices);
    }
    if (e instanceof ValueInstantiationException v) {
      Throwable c = v.getCause() != null ? v.getCause() : v;
      return instantiation(path, c.getMessage(), v.getType() == null ? null : v.getType().getRawClass());
    }
    if (e instanceof MismatchedInputException mi) {
      JsonNode got = at(tree, m.getPath());
      String expected = expected(mi.getTargetType());
      if (expected != null) {
        return join(path, "expected " + expected + ", got " + (got == null ? "something else" : got.toString()));
      }
    }
    return join(path, located(e.getOriginalMessage(), null));
  }

  /** Joins a constructor's message ("epochs must be >= 1") to the path of the object it built. */
  private static String instantiation(String path, String message, Class<?> built) {
    if (message == null) {
      return join(path, "invalid value");
    }
    int colon = message.indexOf(": ");
    String last = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
    last = last.replaceAll("\\[\\d+]$", "");
    if (colon > 0 && message.substring(0, colon).matches("[A-Za-z][A-Za-z0-9]*")) {
      String head = message.substring(0, colon);
      if (head.equals(last)) {
        return join(path, message.substring(colon + 2));
      }
      if (isComponent(built, head)) {
        return join(path.isEmpty() ? head : path + "." + head, message.substring(colon + 2));
      }
    }
    return join(path, message);
  }

  private static boolean isComponent(Class<?> type, String name) {
    if (type == null || !type.isRecord()) {
      return false;
    }
    for (java.lang.reflect.RecordComponent c : type.getRecordComponents()) {
      if (c.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** "a.b[2].c" from Jackson's reference chain. */
  static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  private static String join(String path, String detail) {
    return path.isEmpty() ? detail : path + (detail.startsWith("[") || detail.isEmpty() ? "" : ": ") + detail;
  }

  private static JsonNode at(JsonNode tree, List<JsonMappingException.Reference> refs) {
    JsonNode n = tree;
    for (JsonMappingException.Reference r : refs) {
      if (n == null) {
        return null;
      }
      n = r.getFieldName() != null ? n.get(r.getFieldName()) : r.getIndex() >= 0 ? n.get(r.getIndex()) : n;
    }
    return n;
  }

  private static String expected(Class<?> t) {
    if (t == null) {
      return null;
    }
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class || t == short.class) {
      return "an integer";
    }
    if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
      return "a number";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "true or false";
    }
    if (t == String.class) {
      return "a string";
    }
    if (t == Shape.class) {
      return "a list of positive integers, e.g. [784] or [1, 28, 28]";
    }
    if (t.isEnum()) {
      List<String> names = new ArrayList<>();
      for (java.lang.reflect.Field f : t.getFields()) {
        if (f.isEnumConstant()) {
          JsonProperty p = f.getAnnotation(JsonProperty.class);
          names.add(p != null ? p.value() : f.getName());
        }
      }
      return "one of " + String.join(", ", names);
    }
    if (t == int[].class || t == long[].class) {
      return "a list of integers";
    }
    if (Collection.class.isAssignableFrom(t) || t.isArray()) {
      return "a list";
    }
    if (java.util.Map.class.isAssignableFrom(t)) {
      return "an object of key: value pairs";
    }
    return "an object";
  }

  private static String expected(JavaType t) {
    return t == null ? null : expected(t.getRawClass());
  }

  private static String names(Collection<Object> ids) {
    if (ids == null || ids.isEmpty()) {
      return "(none: this object takes no keys)";
    }
    TreeSet<String> s = new TreeSet<>();
    for (Object o : ids) {
      s.add(String.valueOf(o));
    }
    return String.join(", ", s);
  }

  private static String typeProperty(Class<?> base) {
    JsonTypeInfo info = base == null ? null : base.getAnnotation(JsonTypeInfo.class);
    return info == null || info.property().isEmpty() ? "type" : info.property();
  }

  private static String subtypeNames(Class<?> base) {
    JsonTypeIdResolver resolver = base == null ? null : base.getAnnotation(JsonTypeIdResolver.class);
    if (resolver != null) {
      try {
        return resolver.value().getDeclaredConstructor().newInstance().getDescForKnownTypeIds();
      } catch (ReflectiveOperationException e) {
        return "(unknown)";
      }
    }
    JsonSubTypes sub = base == null ? null : base.getAnnotation(JsonSubTypes.class);
    if (sub == null) {
      return "(unknown)";
    }
    List<String> names = new ArrayList<>();
    for (JsonSubTypes.Type t : sub.value()) {
      names.add(t.name());
    }
    return String.join(", ", names);
  }

  private static String located(String message, JsonLocation loc) {
    if (loc != null && loc.getLineNr() > 0) {
      return "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": " + message;
    }
    return message;
  }
}
