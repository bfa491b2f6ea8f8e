package io.sparkprop.spark.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package's public surface is the facade and the handle it returns (issue #12): the converter,
 * row format, gradient sources, evaluator and channel stay package-private.
 */
class PackageSurfaceTest {

  @Test
  void onlySparkTrainingAndBlocksArePublic() throws Exception {
    Path dir = Path.of(SparkTraining.class.getResource("SparkTraining.class").toURI()).getParent();
    List<String> publicTypes;
    try (Stream<Path> files = Files.list(dir)) {
      publicTypes = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.equals("package-info.class"))
          .map(n -> n.substring(0, n.length() - ".class".length()))
          .filter(n -> Modifier.isPublic(load(n).getModifiers()))
          .sorted().toList();
    }
    assertThat(publicTypes).containsExactly("Blocks", "SparkTraining");
    assertThat(Modifier.isPublic(load("BlockConverter").getModifiers())).isFalse();
  }

  private static Class<?> load(String simpleName) {
    try {
      return Class.forName(SparkTraining.class.getPackageName() + "." + simpleName, false,
          PackageSurfaceTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
