package io.sparkprop.core.tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the native BLAS that dev.ludovic.netlib would load, before asking it to. netlib's JNI
 * library {@code dlopen}s {@code libblas.so.3} (or the file named by the system property
 * {@code dev.ludovic.netlib.blas.nativeLibPath}, or the name in
 * {@code dev.ludovic.netlib.blas.nativeLib}) in its {@code JNI_OnLoad} and, when that fails,
 * writes {@code netlib-blas: JNI_OnLoad: dlopen(libblas.so.3) failed} straight to the process's
 * stderr, out of reach of any logger. Looking first (the directories the dynamic loader searches:
 * {@code LD_LIBRARY_PATH}, the names in {@code /etc/ld.so.cache}, the standard library folders)
 * keeps that line away on machines without OpenBLAS; {@link Gemms#nativeBlas} then also sets
 * {@code dev.ludovic.netlib.blas.allowNative=false}, as netlib tries native BLAS on first use of
 * any of its classes, its Java BLAS included.
 */
final class BlasLibrary {
  static final String PATH_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";
  static final String NAME_PROPERTY = "dev.ludovic.netlib.blas.nativeLib";
  static final String DEFAULT_NAME = "libblas.so.3";
  /** false: netlib does not try native BLAS at all. */
  static final String ALLOW_NATIVE_PROPERTY = "dev.ludovic.netlib.blas.allowNative";

  private BlasLibrary() {
  }

  /** Where the library was found (a path, or "ld.so.cache"), or null when the loader would not find it. */
  static String locate() {
    if ("false".equalsIgnoreCase(System.getProperty(ALLOW_NATIVE_PROPERTY))) {
      return null;
    }
    String path = System.getProperty(PATH_PROPERTY);
    if (path != null) {
      return Files.isReadable(Path.of(path)) ? path : null;
    }
    String name = System.getProperty(NAME_PROPERTY, DEFAULT_NAME);
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      // elsewhere the loader's rules differ; let netlib try (its message is rarer there)
      return name;
    }
    byte[] cache;
    try {
      cache = Files.readAllBytes(Path.of("/etc/ld.so.cache"));
    } catch (IOException | RuntimeException e) {
      cache = new byte[0];
    }
    return locate(name, searchPath(System.getenv("LD_LIBRARY_PATH"), System.getProperty("os.arch", "")), cache);
  }

  /**
   * The first of {@code dirs} holding {@code name}, else "ld.so.cache" when {@code cache} names it,
   * else null; a name with a slash is a path of its own.
   */
  static String locate(String name, List<Path> dirs, byte[] cache) {
    if (name.contains("/")) {
      return Files.isReadable(Path.of(name)) ? name : null;
    }
    for (Path d : dirs) {
      Path f = d.resolve(name);
      if (Files.isReadable(f)) {
        return f.toString();
      }
    }
    return contains(cache, (name + '\0').getBytes(StandardCharsets.US_ASCII)) ? "ld.so.cache" : null;
  }

  /** LD_LIBRARY_PATH's folders, then the standard ones (with the Debian multiarch folder of {@code arch}). */
  static List<Path> searchPath(String ldLibraryPath, String arch) {
    List<Path> dirs = new ArrayList<>();
    if (ldLibraryPath != null) {
      for (String d : ldLibraryPath.split(":")) {
        if (!d.isEmpty()) {
          dirs.add(Path.of(d));
        }
      }
    }
    String multiarch = switch (arch) {
      case "amd64", "x86_64" -> "x86_64-linux-gnu";
      case "aarch64" -> "aarch64-linux-gnu";
      case "riscv64" -> "riscv64-linux-gnu";
      default -> null;
    };
    for (String base : new String[] {"/lib", "/usr/lib"}) {
      if (multiarch != null) {
        dirs.add(Path.of(base, multiarch));
      }
    }
    for (String d : new String[] {"/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib"}) {
      dirs.add(Path.of(d));
    }
    return dirs;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      // a whole name only: the match starts the string (after a NUL) or a path (after a slash)
      if (i > 0 && haystack[i - 1] != 0 && haystack[i - 1] != '/') {
        continue;
      }
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
