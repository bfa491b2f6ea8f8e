package io.sparkprop.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkprop.core.io.Json;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.optim.SGD;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config files: the bundled ones bind, every kind of mistake is reported with its key path, overrides apply. */
class ConfigLoaderTest {
  @TempDir
  Path dir;

  /** A valid config whose data files exist (empty files: only their existence is checked). */
  private String base() throws IOException {
    touch("x.idx");
    touch("y.idx");
    return """
        {"name": "t",
         "model": {"inputShape": [4], "layers": [{"type": "dense", "units": 3}], "loss": {"type": "softmax_cross_entropy"}},
         "training": {"optimizer": {"type": "adam", "learningRate": 0.01}, "epochs": 3, "batchSize": 8},
         "data": {"train": {"format": "idx", "images": "DIR/x.idx", "labels": "DIR/y.idx"}}}
        """.replace("DIR", dir.toString());
  }

  private void touch(String name) throws IOException {
    if (!Files.exists(dir.resolve(name))) {
      Files.createFile(dir.resolve(name));
    }
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static List<Overrides.Assignment> sets(String... kv) {
    List<Overrides.Assignment> out = new ArrayList<>();
    for (String s : kv) {
      out.add(Overrides.Assignment.parse(s));
    }
    return out;
  }

  private String error(String json, String... overrides) throws IOException {
    Path f = write("c.json", json);
    try {
      ConfigLoader.load(f.toString(), sets(overrides));
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException for " + json);
  }

  @Test
  void bundledDefaultBindsWithItsDefaults() {
    ConfigLoader.Loaded l = ConfigLoader.load(null, List.of());
    RunConfig c = l.config();
    assertThat(l.source()).isEqualTo("mnist-mlp.json");
    assertThat(c.name()).isEqualTo("mnist-mlp");
    assertThat(c.model().layers()).hasSize(7).first().isEqualTo(new Dense(256));
    assertThat(c.training().optimizer()).isEqualTo(new Adam(8e-3));
    assertThat(c.training().schedule()).isEqualTo(new io.sparkprop.core.optim.CosineDecay(16, 192, 0.0));
    assertThat(c.training().epochs()).isEqualTo(24);
    assertThat(c.training().batchSize()).isEqualTo(1024);
    assertThat(c.data().train()).isInstanceOf(IdxSource.class);
    assertThat(c.output()).isEqualTo(OutputSpec.DEFAULTS);
  }

  @Test
  void bundledCnnConfigBinds() {
    RunConfig c = ConfigLoader.load("mnist-cnn", List.of()).config();
    assertThat(c.model().architecture(null).outputShape().size()).isEqualTo(10);
    assertThat(c.model().layers().get(0).kind()).isEqualTo("conv2d");
  }

  @Test
  void bundledExamplesBindWithTheirDataFiles() {
    for (String name : List.of("mnist-mlp", "mnist-cnn", "csv-regression", "libsvm-classification", "spam-lstm",
        "spam-transformer")) {
      assertThat(ConfigLoader.load(name, List.of()).source()).isEqualTo(name + ".json");
    }
    assertThat(ConfigLoader.load("spam-lstm", List.of()).config().text().settings().maxTokens()).isEqualTo(20_002);
    // Fashion-MNIST is a system package: binding happens before the file check, so "file not found"
    // proves the rest of the config is valid when it is not installed.
    for (String name : List.of("fashion-mlp", "fashion-cnn")) {
      if (java.nio.file.Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"))) {
        assertThat(ConfigLoader.load(name, List.of()).source()).isEqualTo(name + ".json");
      } else {
        assertThatThrownBy(() -> ConfigLoader.load(name, List.of()))
            .hasMessageStartingWith("config " + name + ".json: data.train.images: file not found: /usr/share/datasets/");
      }
    }
  }

  @Test
  void sectionsLeftOutTakeTheirDefaults() throws IOException {
    RunConfig c = ConfigLoader.load(write("c.json", base()).toString(), List.of()).config();
    assertThat(c.spark()).isEqualTo(SparkSpec.DEFAULTS);
    assertThat(c.checkpoint()).isEqualTo(CheckpointSpec.DEFAULTS);
    assertThat(c.training().seed()).isEqualTo(42L);
    assertThat(c.model().seed()).isEqualTo(42L);
    assertThat(c.data().validationSplit()).isEqualTo(0.1);
  }

  /** Issue 14: validation data is a source or a split, one way only; validationSplit 0 means none. */
  @Test
  void validationIsASourceOrASplit() throws IOException {
    String withSource = base().replace("\"data\": {", "\"data\": {\"validation\": {\"format\": \"idx\", "
        + "\"images\": \"" + dir.resolve("x.idx") + "\", \"labels\": \"" + dir.resolve("y.idx") + "\"}, ");
    RunConfig c = ConfigLoader.load(write("v.json", withSource).toString(), List.of()).config();
    assertThat(c.data().validation()).isNotNull();
    assertThat(c.data().validationSplit()).isZero();
    assertThat(error(withSource.replace("\"data\": {", "\"data\": {\"validationSplit\": 0.2, ")))
        .endsWith(": data.validationSplit: give validation data one way only: data.validation (a source) or "
            + "data.validationSplit (a fraction of the training data), got both");
    RunConfig none = ConfigLoader.load(write("n.json", base().replace("\"data\": {", "\"data\": {\"validationSplit\": 0, "))
        .toString(), List.of()).config();
    assertThat(none.data().validationSplit()).isZero();
    assertThat(none.data().validation()).isNull();
    assertThat(error(base(), "data.validationSplit=0", "training.earlyStopping={\"patience\": 2}"))
        .contains(": training.earlyStopping.monitor: 'val_loss' needs validation data, but data.validationSplit is 0 "
            + "and there is no data.validation (monitor \"loss\", or hold out validation data)");
  }

  /** Issue 14: training.classWeight is "balanced" or label: weight, for classifiers, and survives config.json. */
  @Test
  void classWeightIsBalancedOrAMapOfLabels() throws IOException {
    RunConfig c = ConfigLoader.load(write("w.json", base()).toString(),
        sets("training.classWeight={\"-1\": 0.5, \"2\": 4}")).config();
    assertThat(c.classWeight()).isEqualTo(new ClassWeight(false, java.util.Map.of(-1.0, 0.5, 2.0, 4.0)));
    assertThat(c.training().epochs()).isEqualTo(3);
    RunConfig back = ConfigLoader.bind(Json.mapper().readTree(ConfigLoader.toJson(c)), "back", dir, List.of())
        .config();
    assertThat(back.classWeight()).isEqualTo(c.classWeight());
    assertThat(ConfigLoader.load(write("b.json", base()).toString(), sets("training.classWeight=balanced")).config()
        .classWeight().balanced()).isTrue();
    assertThat(error(base(), "training.classWeight=heavy")).endsWith(": training.classWeight: expected \"balanced\" "
        + "or an object of label: weight (e.g. {\"0\": 1, \"1\": 5}), got \"heavy\"");
    assertThat(error(base(), "training.classWeight={\"1\": -2}"))
        .endsWith(": training.classWeight.1: expected a weight (a finite number >= 0), got -2");
    assertThat(error(base().replace("softmax_cross_entropy", "mean_squared_error"), "training.classWeight=balanced"))
        .endsWith(": training.classWeight: only for classifiers; the loss MeanSquaredError is a regression loss");
  }

  @Test
  void unknownKeyNamesThePathAndTheKnownKeys() throws IOException {
    String m = error(base().replace("\"epochs\": 3", "\"epoch\": 3"));
    assertThat(m).isEqualTo("config " + dir.resolve("c.json") + ": training.epoch: unknown key; expected one of: "
        + "batchSize, clipGlobalNorm, earlyStopping, epochs, optimizer, schedule, seed");
  }

  @Test
  void unknownKeyInsideAListNamesTheIndex() throws IOException {
    String m = error(base().replace("\"units\": 3", "\"units\": 3, \"activation\": \"relu\""));
    assertThat(m).contains(": model.layers[0].activation: unknown key; expected one of: ")
        .contains("units");
  }

  @Test
  void wrongTypeSaysWhatWasExpectedAndWhatCame() throws IOException {
    assertThat(error(base().replace("\"epochs\": 3", "\"epochs\": \"ten\"")))
        .endsWith(": training.epochs: expected an integer, got \"ten\"");
    assertThat(error(base().replace("\"epochs\": 3", "\"epochs\": 2.5")))
        .endsWith(": training.epochs: expected an integer, got 2.5");
    assertThat(error(base().replace("\"learningRate\": 0.01", "\"learningRate\": \"fast\"")))
        .endsWith(": training.optimizer.learningRate: expected a number, got \"fast\"");
    assertThat(error(base().replace("\"inputShape\": [4]", "\"inputShape\": 4")))
        .endsWith(": model.inputShape: expected a list of integers, got 4");
  }

  @Test
  void outOfRangeValuesNameTheKey() throws IOException {
    assertThat(error(base().replace("\"epochs\": 3", "\"epochs\": 0")))
        .endsWith(": training: epochs must be >= 1, got 0");
    assertThat(error(base().replace("\"units\": 3", "\"units\": -2")))
        .endsWith(": model.layers[0]: Dense units must be positive, got -2");
    assertThat(error(base().replace("\"data\": {", "\"data\": {\"validationSplit\": 1.5, ")))
        .endsWith(": data.validationSplit: expected a number in [0, 1), got 1.5");
    assertThat(error(base().replace("\"name\": \"t\"", "\"name\": \"a b\"")))
        .endsWith(": name: expected letters, digits, '.', '_' or '-', got \"a b\"");
  }

  @Test
  void sparkSyncBindsItsThreeNamesAndRejectsAnyOther() throws IOException {
    String jobs = base().replace("\"name\": \"t\"", "\"name\": \"t\", \"spark\": {\"sync\": \"jobs\"}");
    assertThat(ConfigLoader.load(write("c.json", jobs).toString(), List.of()).config().spark().syncMode())
        .isEqualTo(io.sparkprop.spark.SparkOptions.Sync.JOBS);
    assertThat(ConfigLoader.load(write("c.json", base()).toString(), sets("spark.sync=barrier")).config().spark()
        .syncMode()).isEqualTo(io.sparkprop.spark.SparkOptions.Sync.BARRIER);
    assertThat(error(jobs.replace("\"jobs\"", "\"fast\"")))
        .endsWith(": spark.sync: expected one of auto, jobs, barrier, got \"fast\"");
    // upper case is what Jackson's enum binding would accept; the config takes the documented spelling only
    assertThat(error(base(), "spark.sync=JOBS")).contains("sync: expected one of auto, jobs, barrier, got \"JOBS\"");
  }

  @Test
  void unknownOrMissingTypeListsTheChoices() throws IOException {
    assertThat(error(base().replace("\"type\": \"adam\"", "\"type\": \"adamx\"")))
        .contains(": training.optimizer.type: unknown value \"adamx\"; expected one of: sgd, adam, adamw, rmsprop, adagrad");
    assertThat(error(base().replace("\"format\": \"idx\", ", "")))
        .contains(": data.train.format: missing; expected one of: idx, csv, libsvm, parquet");
  }

  @Test
  void missingRequiredSectionsAndFiles() throws IOException {
    assertThat(error("{\"data\": {\"train\": {\"format\": \"idx\", \"images\": \"a\", \"labels\": \"b\"}}}"))
        .endsWith(": model: missing; expected {\"layers\": [...], \"loss\": {...}}");
    String m = error(base().replace(dir + "/y.idx", "nowhere/y.idx"));
    assertThat(m).contains(": data.train.labels: file not found: nowhere/y.idx (looked in ");
  }

  @Test
  void syntaxErrorsGiveLineAndColumn() throws IOException {
    assertThat(error("{\n  \"name\": \"t\",\n  \"model\": }\n")).contains("c.json: line 3, column 12: ");
    assertThat(error(base().replace("\"epochs\": 3", "\"epochs\": 3, \"epochs\": 4"))).contains("Duplicate field 'epochs'");
  }

  @Test
  void missingConfigFileNamesTheBundledOnes() {
    assertThatThrownBy(() -> ConfigLoader.load("no/such.json", List.of()))
        .hasMessage("config no/such.json: file not found (nor a bundled config; bundled: mnist-mlp, mnist-cnn, "
            + "csv-regression, libsvm-classification, fashion-mlp, fashion-cnn)");
  }

  @Test
  void overridesReplaceCreateAndAreChecked() throws IOException {
    Path f = write("c.json", base());
    RunConfig c = ConfigLoader.load(f.toString(), sets("training.epochs=5", "model.layers[0].units=7",
        "training.optimizer={\"type\": \"sgd\", \"learningRate\": 0.5}", "spark.conf.spark.driver.memory=2g",
        "spark.master=local[3]", "data.limit=100")).config();
    assertThat(c.training().epochs()).isEqualTo(5);
    assertThat(c.model().layers().get(0)).isEqualTo(new Dense(7));
    assertThat(c.training().optimizer()).isEqualTo(new SGD(0.5));
    assertThat(c.spark().conf()).containsEntry("spark.driver.memory", "2g");
    assertThat(c.spark().master()).isEqualTo("local[3]");
    assertThat(c.data().limit()).isEqualTo(100);
    assertThat(ConfigLoader.load(f.toString(), sets("model.layers.0.units=9")).config().model().layers().get(0))
        .isEqualTo(new Dense(9));
  }

  @Test
  void badOverridesSayWhichFlagCausedThem() throws IOException {
    assertThat(error(base(), "training.epochs=ten"))
        .endsWith(": training.epochs: expected an integer, got \"ten\" (from --set training.epochs=ten)");
    assertThat(error(base(), "training.epochs=0")).endsWith(" (from --set training.epochs=0)");
    assertThat(error(base(), "training.epoch=3")).endsWith(": training.epoch: unknown key; expected one of: "
        + "batchSize, clipGlobalNorm, earlyStopping, epochs, optimizer, schedule, seed (from --set training.epoch=3)");
    assertThat(error(base(), "model.layers[5].units=3")).contains("index [5] is outside the list of 1");
    assertThat(error(base(), "epochs")).contains("--set epochs: expected key=value");
  }

  @Test
  void yamlConfigsReadLikeJson() throws IOException {
    touch("x.idx");
    touch("y.idx");
    Path f = write("c.yaml", """
        name: y
        model:
          layers:
            - {type: dense, units: 3}
          loss: {type: softmax_cross_entropy}
        training:
          epochs: 2
        data:
          train: {format: idx, images: x.idx, labels: y.idx}
        """);
    RunConfig c = ConfigLoader.load(f.toString(), List.of()).config();
    assertThat(c.training().epochs()).isEqualTo(2);
    assertThat(c.model().layers()).containsExactly(new Dense(3));
    Path bad = write("bad.yaml", "name: y\nmodel:\n  layers: [{type: dense, units: three}]\n");
    assertThatThrownBy(() -> ConfigLoader.load(bad.toString(), List.of()))
        .hasMessageContaining("model.layers[0].units: expected an integer, got \"three\"");
  }

  @Test
  void theEffectiveConfigRoundTrips() throws IOException {
    RunConfig c = ConfigLoader.load(null, sets("training.epochs=3")).config();
    Path f = write("back.json", ConfigLoader.toJson(c));
    assertThat(ConfigLoader.load(f.toString(), List.of()).config()).isEqualTo(c);
  }

  @Test
  void parquetAndJsonSourcesPassTheirColumnsToTheReader() {
    PathResolver paths = new PathResolver(List.of());
    for (DataSource src : List.of(new ParquetSource("hdfs:///d/train", "x", null),
        new JsonSource("hdfs:///d/train", "x", null))) {
      DataSource.Location l = src.locate(paths, "data.train", List.of());
      assertThat(l.path()).as(src.format()).isEqualTo("hdfs:///d/train");
      assertThat(l.options()).as(src.format()).isEqualTo(java.util.Map.of("featuresCol", "x"));
      assertThat(src.locate(paths, "data.train", List.of("a", "b")).options()).as(src.format())
          .isEqualTo(java.util.Map.of("featuresCol", "x", "features", "a,b"));
    }
    assertThat(new JsonSource("s3a://b/t.jsonl", null, "y").locate(paths, "data.test", List.of()).options())
        .isEqualTo(java.util.Map.of("labelCol", "y"));
  }
}
