package io.sparkprop.cli;

import static io.sparkprop.cli.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained by the command line on a csv whose labels are strings, with standardisation:
 * {@code predict -o -} writes the original strings, {@code evaluate} scores it, and the same model
 * folder used from Java ({@code io.sparkprop.core.model.Predictor}) predicts what the CLI does.
 */
class StringLabelsCliTest {
  static final String[] SPECIES = {"virginica", "setosa", "versicolor"};
  @TempDir
  static Path dir;
  @LocalSpark
  static SparkSession spark;
  static Path run;
  static String train;

  /** 60 rows of 3 classes told apart by badly scaled features; the label column is last. */
  static String rows() {
    StringBuilder b = new StringBuilder("a,b,species\n");
    for (int i = 0; i < 60; i++) {
      int c = i % 3;
      b.append(1000 + c * 50 + i % 7).append(',').append(0.001 * c).append(',').append(SPECIES[c]).append('\n');
    }
    return b.toString();
  }

  @BeforeAll
  static void trainOnce() throws IOException {
    train = Files.writeString(dir.resolve("iris.csv"), rows()).toString();
    String source = "{\"format\": \"csv\", \"path\": \"" + train + "\", \"header\": true, \"label\": \"species\"}";
    Path cfg = Files.writeString(dir.resolve("iris.json"), """
        {"name": "iris",
         "model": {"layers": [{"type": "dense", "units": 8}, {"type": "relu"}, {"type": "dense", "units": 3}],
                   "loss": {"type": "softmax_cross_entropy"}},
         "training": {"optimizer": {"type": "adam", "learningRate": 0.05}, "epochs": 30, "batchSize": 8},
         "data": {"train": %s, "test": %s, "standardize": true}}
        """.formatted(source, source));
    run = dir.resolve("run");
    CliRun r = cli("train", "--config", cfg.toString(), "--progress", "none", "--output", run.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("string labels indexed [setosa, versicolor, virginica]");
  }

  @Test
  void predictWritesTheOriginalStringsAndEvaluateScores() throws IOException {
    assertThat(run.resolve("model/preprocessing.json")).content()
        .contains("\"labelStrings\"", "\"setosa\"", "\"mean\"");
    CliRun p = cli("predict", "--model", run.resolve("model").toString(), "-o", "-");
    assertThat(p.code()).as(p.err()).isZero();
    List<String> lines = p.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("predicted,label,p_0,p_1,p_2");
    assertThat(lines).hasSize(61);
    for (int i = 1; i <= 60; i++) {
      assertThat(lines.get(i).split(",")[1]).isEqualTo(SPECIES[(i - 1) % 3]);
    }
    long right = lines.stream().skip(1).filter(l -> l.split(",")[0].equals(l.split(",")[1])).count();
    assertThat(right).as(p.out()).isGreaterThanOrEqualTo(57);
    CliRun e = cli("evaluate", "--model", run.resolve("model").toString(), "-o",
        dir.resolve("eval").toString());
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.out()).contains("test: loss ").containsPattern("accuracy (0\\.9[5-9]|1\\.0)");
  }

  @Test
  void theJavaApiPredictsFromTheFolderWhatTheCliPredicts() throws IOException {
    io.sparkprop.core.model.Predictor java = io.sparkprop.core.model.Predictor.load(run.resolve("model"));
    assertThat(java.preprocessing().labelStrings()).containsExactly("setosa", "versicolor", "virginica");
    List<String> data = Files.readAllLines(Path.of(train)).subList(1, 61);
    float[] raw = new float[60 * 2];
    for (int i = 0; i < 60; i++) {
      String[] c = data.get(i).split(",");
      raw[2 * i] = Float.parseFloat(c[0]);
      raw[2 * i + 1] = Float.parseFloat(c[1]);
    }
    float[] before = raw.clone();
    float[] probs = java.predict(raw, 60);
    String[] labels = java.predictLabels(raw, 60);
    assertThat(raw).as("the caller's rows are not standardised in place").containsExactly(before);
    CliRun p = cli("predict", "--model", run.resolve("model").toString(), "-o", "-");
    assertThat(p.code()).as(p.err()).isZero();
    List<String> lines = p.out().lines().skip(1).toList();
    for (int i = 0; i < 60; i++) {
      String[] cells = lines.get(i).split(",");
      assertThat(labels[i]).as("row %d", i).isEqualTo(cells[0]);
      for (int j = 0; j < 3; j++) {
        // the CLI scores in its own batch; BLAS may round a product differently by batch size
        assertThat((double) probs[i * 3 + j]).as("row %d p_%d", i, j)
            .isCloseTo(Double.parseDouble(cells[2 + j]), org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }
}
