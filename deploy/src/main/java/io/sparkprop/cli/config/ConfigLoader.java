package io.sparkprop.cli.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a run config strictly: parse (JSON, or YAML for {@code .yaml}/{@code .yml}), apply the
 * command-line overrides to the tree, bind it to {@link RunConfig}, and check that every data
 * file exists. Every problem becomes a {@link ConfigException} whose message starts with
 * {@code config <file>:} and names the key path and what was expected, e.g.
 * {@code config mnist.json: training.epochs: expected an integer, got "ten"}; a problem caused by
 * an override says so ({@code (from --set training.epochs=ten)}).
 *
 * <p>{@code --config NAME} also accepts the name of a bundled example config
 * ({@code mnist-mlp}, see {@link #BUNDLED}); without {@code --config} the default is
 * {@link #DEFAULT_CONFIG}.
 */
public final class ConfigLoader {
  /** Classpath folder of the bundled configs (copied from {@code examples/configs} at build time). */
  public static final String BUNDLED = "io/sparkprop/cli/configs/";
  /** The config used when none is given: the MNIST MLP. */
  public static final String DEFAULT_CONFIG = "mnist-mlp";

  private static final ObjectMapper JSON = strict(JsonMapper.builder());
  private static final ObjectMapper YAML = strict(YAMLMapper.builder());

  private ConfigLoader() {
  }

  /** A bound config, the name it is reported under, and how to find its files. */
  public record Loaded(RunConfig config, String source, PathResolver paths) {
  }

  /**
   * Loads {@code config} (a file path, a bundled config's name, or null for the default),
   * applies {@code overrides} in order, binds and checks it.
   *
   * @throws ConfigException on any problem, before anything is started
   */
  public static Loaded load(String config, List<Overrides.Assignment> overrides) {
    String name = config == null ? DEFAULT_CONFIG : config;
    Path file = Path.of(name);
    String source;
    JsonNode tree;
    Path dir;
    if (Files.isRegularFile(file)) {
      source = file.toString();
      dir = file.toAbsolutePath().getParent();
      tree = parse(file, source);
    } else {
      String res = BUNDLED + (name.endsWith(".json") ? name : name + ".json");
      InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(res);
      if (in == null || name.contains("/")) {
        throw new ConfigException("config " + name + ": file not found (nor a bundled config; bundled: "
            + String.join(", ", bundledNames()) + ")");
      }
      source = name.endsWith(".json") ? name : name + ".json";
      dir = null;
      try (in) {
        tree = JSON.readTree(in);
      } catch (IOException e) {
        throw new ConfigException("config " + source + ": cannot read the bundled config: " + e.getMessage(), e);
      }
    }
    return bind(tree, source, dir, overrides);
  }

  /** Binds a parsed document from {@code source} (files looked up from {@code dir} too). */
  public static Loaded bind(JsonNode tree, String source, Path dir, List<Overrides.Assignment> overrides) {
    if (!(tree instanceof ObjectNode root)) {
      throw new ConfigException("config " + source + ": expected an object ({\"model\": ..., \"data\": ...}), got "
          + (tree == null ? "nothing" : tree.getNodeType().toString().toLowerCase(Locale.ROOT)));
    }
    ObjectNode work = root.deepCopy();
    List<String> paths = new ArrayList<>();
    for (Overrides.Assignment a : overrides) {
      try {
        Overrides.applyInPlace(work, a, JSON);
      } catch (ConfigException e) {
        throw new ConfigException("config " + source + ": " + e.getMessage(), e);
      }
      paths.add(Overrides.canonical(a));
    }
    // training.classWeight is the command line's (labels as in the data), not core's TrainingConfig
    JsonNode classWeight = work.get("training") instanceof ObjectNode t ? t.remove(ClassWeight.KEY) : null;
    RunConfig cfg;
    try {
      cfg = JSON.treeToValue(work, RunConfig.class);
      if (classWeight != null) {
        cfg = cfg.withClassWeight(ClassWeight.parse(classWeight));
      }
    } catch (JsonProcessingException e) {
      String msg = ConfigErrors.describe(e, work);
      throw new ConfigException("config " + source + ": " + msg + origin(msg, overrides, paths), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("config " + source + ": " + e.getMessage(), e);
    }
    PathResolver resolver = PathResolver.standard(dir);
    try {
      cfg.data().train().locate(resolver, "data.train", cfg.data().features());
      if (cfg.data().test() != null) {
        cfg.data().test().locate(resolver, "data.test", cfg.data().features());
      }
      if (cfg.data().validation() != null) {
        cfg.data().validation().locate(resolver, "data.validation", cfg.data().features());
      }
    } catch (ConfigException e) {
      throw new ConfigException("config " + source + ": " + e.getMessage() + origin(e.getMessage(), overrides, paths), e);
    }
    return new Loaded(cfg, source, resolver);
  }

  /** The effective config as pretty JSON (written next to a run's results). */
  public static String toJson(RunConfig config) {
    try {
      JsonNode tree = JSON.valueToTree(config);
      if (config.classWeight() != null && tree.get("training") instanceof ObjectNode t) {
        t.set(ClassWeight.KEY, config.classWeight().toJson());
      }
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the config as JSON: " + e.getMessage(), e);
    }
  }

  /** The names of the bundled configs. */
  public static List<String> bundledNames() {
    return List.of("mnist-mlp", "mnist-cnn", "csv-regression", "libsvm-classification", "fashion-mlp",
        "fashion-cnn");
  }

  private static JsonNode parse(Path file, String source) {
    String f = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper m = f.endsWith(".yaml") || f.endsWith(".yml") ? YAML : JSON;
    try (InputStream in = Files.newInputStream(file)) {
      JsonNode n = m.readTree(in);
      if (n == null || n.isMissingNode()) {
        throw new ConfigException("config " + source + ": the file is empty");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new ConfigException("config " + source + ": " + ConfigErrors.describe(e, null), e);
    } catch (IOException e) {
      throw new ConfigException("config " + source + ": cannot read: " + e, e);
    }
  }

  /** " (from --set ...)" when the failing key (or an object it lies in) was set on the command line. */
  private static String origin(String message, List<Overrides.Assignment> overrides, List<String> paths) {
    int c = message.indexOf(": ");
    String failing = c < 0 ? "" : message.substring(0, c);
    if (failing.isEmpty()) {
      return "";
    }
    String detail = message.substring(c + 2);
    for (int i = overrides.size() - 1; i >= 0; i--) {
      String p = paths.get(i);
      boolean same = failing.equals(p) || failing.startsWith(p + ".") || failing.startsWith(p + "[");
      boolean inside = p.startsWith(failing + ".") && detail.startsWith(p.substring(failing.length() + 1).split("[.\\[]")[0]);
      if (same || inside) {
        return " (from " + overrides.get(i).origin() + ")";
      }
    }
    return "";
  }

  /**
   * The project's JSON conventions (those of the core's {@code Json} mapper: records as objects,
   * {@code is...()} not a property, unknown keys and trailing text fail), made stricter for
   * hand-written files: no number/string/boolean coercion, no float where an integer is
   * expected, duplicate keys fail.
   */
  private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> M strict(MapperBuilder<M, B> b) {
    return b.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
        .build();
  }
}
