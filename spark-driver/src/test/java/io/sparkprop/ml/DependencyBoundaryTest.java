package io.sparkprop.ml;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A spark.ml user who depends on spark-driver gets the trainer, not the command-line program:
 * picocli, the progress bar and the chart library belong to the application (deploy/) alone.
 */
class DependencyBoundaryTest {

  @ParameterizedTest
  @ValueSource(strings = {"picocli.CommandLine", "me.tongfei.progressbar.ProgressBar", "org.knowm.xchart.XYChart",
      "io.sparkprop.cli.Main"})
  void theCommandLineProgramsLibrariesAreNotOnTheClassPath(String className) {
    assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
  }
}
