package io.sparkprop.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Looking for the native BLAS the way the dynamic loader would, before netlib tries (and prints). */
class BlasLibraryTest {
  @TempDir
  Path dir;

  @Test
  void findsTheLibraryInASearchedFolderOrTheLoaderCache() throws IOException {
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    Files.writeString(b.resolve("libblas.so.3"), "");
    assertThat(BlasLibrary.locate("libblas.so.3", List.of(a, b), new byte[0])).isEqualTo(b.resolve("libblas.so.3")
        .toString());
    assertThat(BlasLibrary.locate("libblas.so.3", List.of(a), new byte[0])).isNull();
    byte[] cache = "\0libcblas.so.3\0/usr/lib/libcblas.so.3\0".getBytes(StandardCharsets.US_ASCII);
    // a longer name that ends the same is not the library
    assertThat(BlasLibrary.locate("libblas.so.3", List.of(a), cache)).isNull();
    byte[] withBlas = "\0libcblas.so.3\0libblas.so.3\0/usr/lib/libblas.so.3\0".getBytes(StandardCharsets.US_ASCII);
    assertThat(BlasLibrary.locate("libblas.so.3", List.of(a), withBlas)).isEqualTo("ld.so.cache");
    assertThat(BlasLibrary.locate(b.resolve("libblas.so.3").toString(), List.of(), new byte[0])).isNotNull();
    assertThat(BlasLibrary.locate(a.resolve("libblas.so.3").toString(), List.of(), withBlas)).isNull();
  }

  @Test
  void searchPathPutsLdLibraryPathFirstThenTheMultiarchFolders() {
    List<Path> dirs = BlasLibrary.searchPath("/opt/blas::/x", "amd64");
    assertThat(dirs.subList(0, 4)).containsExactly(Path.of("/opt/blas"), Path.of("/x"),
        Path.of("/lib/x86_64-linux-gnu"), Path.of("/usr/lib/x86_64-linux-gnu"));
    assertThat(BlasLibrary.searchPath(null, "sparc")).startsWith(Path.of("/lib64"));
  }

  @Test
  void aMissingLibraryNamedByNetlibsPropertyMeansNoNativeBlasAndNoAttempt() {
    String path = System.getProperty(BlasLibrary.PATH_PROPERTY);
    String allow = System.getProperty(BlasLibrary.ALLOW_NATIVE_PROPERTY);
    System.setProperty(BlasLibrary.PATH_PROPERTY, dir.resolve("missing-libblas.so.3").toString());
    try {
      assertThat(BlasLibrary.locate()).isNull();
      assertThat(Gemms.nativeBlas()).isNull();
      // and netlib is told not to try on its own
      assertThat(System.getProperty(BlasLibrary.ALLOW_NATIVE_PROPERTY)).isEqualTo(allow == null ? "false" : allow);
    } finally {
      restore(BlasLibrary.PATH_PROPERTY, path);
      restore(BlasLibrary.ALLOW_NATIVE_PROPERTY, allow);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
