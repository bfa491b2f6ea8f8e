package io.sparkprop.cli.config;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the files a config names. An absolute path is used as it is; a relative one is looked
 * up in order in: the working directory, the config file's folder, and the folder of the
 * program's jar and up to three of its parents (so {@code java -jar deploy/target/sparkprop-app.jar} finds
 * {@code data/mnist10k} of the repository from anywhere). A path that is found nowhere is
 * reported with its key and every place tried.
 */
public final class PathResolver {
  private final List<Path> bases;

  /** Looks in {@code bases}, in order (absolute paths are used as they are). */
  public PathResolver(List<Path> bases) {
    Set<Path> unique = new LinkedHashSet<>();
    for (Path b : bases) {
      if (b != null) {
        unique.add(b.toAbsolutePath().normalize());
      }
    }
    this.bases = List.copyOf(unique);
  }

  /** The standard search order for a config in {@code configDir} (null for the built-in config). */
  public static PathResolver standard(Path configDir) {
    List<Path> b = new ArrayList<>();
    b.add(Path.of(""));
    b.add(configDir);
    Path jarDir = codeLocation();
    for (int i = 0; i < 4 && jarDir != null; i++, jarDir = jarDir.getParent()) {
      b.add(jarDir);
    }
    return new PathResolver(b);
  }

  /** The folders looked in, in order. */
  public List<Path> bases() {
    return bases;
  }

  /**
   * The existing file {@code value} (the value of config key {@code key}).
   *
   * @throws ConfigException when it exists nowhere
   */
  public Path resolve(String key, String value) {
    Path p = Path.of(value);
    if (p.isAbsolute()) {
      if (Files.exists(p)) {
        return p;
      }
      throw new ConfigException(key + ": file not found: " + p);
    }
    for (Path b : bases) {
      Path c = b.resolve(p).normalize();
      if (Files.exists(c)) {
        return c;
      }
    }
    StringBuilder tried = new StringBuilder();
    for (Path b : bases) {
      tried.append(tried.length() == 0 ? "" : ", ").append(b);
    }
    throw new ConfigException(key + ": file not found: " + value + " (looked in " + tried + ")");
  }

  /**
   * Where Hadoop reads {@code value}: a path with a scheme ({@code hdfs://..}, {@code s3a://..},
   * {@code file:/..}) as it is (checked when read), else the URI of the local file found by
   * {@link #resolve}.
   */
  public String location(String key, String value) {
    if (value.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) {
      return value;
    }
    if (value.contains("*") || value.contains("?") || value.contains("[")) {
      Path p = Path.of(value);
      return "file:" + (p.isAbsolute() ? p : bases.get(0).resolve(p)).normalize();
    }
    return resolve(key, value).toUri().toString();
  }

  /** The folder holding this program's jar (or classes folder), or null when unknown. */
  private static Path codeLocation() {
    try {
      var src = PathResolver.class.getProtectionDomain().getCodeSource();
      if (src == null || src.getLocation() == null) {
        return null;
      }
      Path p = Path.of(src.getLocation().toURI());
      return Files.isDirectory(p) ? p : p.getParent();
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
