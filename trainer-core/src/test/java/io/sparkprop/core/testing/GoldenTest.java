package io.sparkprop.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the golden folder and reading tensors, with clear messages when something is off. */
class GoldenTest {

  @Test
  void findsTheSharedFolderAndReadsACase() {
    Path dir = Golden.dir();
    assertThat(dir.resolve("README.md")).exists();
    Golden g = Golden.load("mlp_relu_softmax_ce");
    Golden.Tensor kernel = Golden.tensor(g.node("layers").get(0).get("kernel"), "kernel");
    assertThat(kernel.shape()).containsExactly(5, 7);
    assertThat(kernel.size()).isEqualTo(35);
    assertThat(kernel.floats()[0]).isEqualTo((float) kernel.data()[0]);
    assertThat(g.numbers("labels")).containsExactly(1, 0, 2, 0);
    assertThat(g.text("loss")).isEqualTo("softmax_cross_entropy");
    assertThat(g.number("expected_loss")).isPositive();
    assertThat(Golden.names("mlp_")).hasSize(5).allMatch(n -> n.startsWith("mlp_"));
    assertThatThrownBy(() -> g.node("nope")).hasMessageContaining("mlp_relu_softmax_ce has no field 'nope'");
    assertThatThrownBy(() -> Golden.load("no_such_case")).hasMessageContaining("no_such_case.json does not exist");
  }

  @Test
  void systemPropertyOverridesTheSearch(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("bad.json"), "{\"t\": {\"shape\": [2, 2], \"data\": [1, 2, 3]}}");
    String saved = System.getProperty(Golden.PROPERTY);
    try {
      System.setProperty(Golden.PROPERTY, tmp.toString());
      assertThat(Golden.dir()).isEqualTo(tmp.toAbsolutePath());
      assertThatThrownBy(() -> Golden.load("bad").tensor("t")).hasMessageContaining("bad.t has shape [2, 2] but 3 values");
      System.setProperty(Golden.PROPERTY, tmp.resolve("missing").toString());
      assertThatThrownBy(Golden::dir).hasMessageContaining("-Dsparkprop.golden=").hasMessageContaining("is not a folder");
    } finally {
      if (saved == null) {
        System.clearProperty(Golden.PROPERTY);
      } else {
        System.setProperty(Golden.PROPERTY, saved);
      }
    }
  }
}
