package io.sparkprop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.cli.config.ConfigLoader;
import io.sparkprop.cli.config.RunConfig;
import io.sparkprop.cli.report.EpochMarker;
import io.sparkprop.cli.report.HistoryFiles;
import io.sparkprop.cli.report.Plots;
import io.sparkprop.core.io.AtomicFiles;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.PartitionWorker;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code train}: reads the config and data, prints the model summary, trains with progress, then
 * saves the model, the history (CSV, JSON, plot), the test metrics and the confusion matrix into
 * the run folder ({@link RunFolder}) and prints where that is.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the model of a config (default: an MLP on the bundled MNIST sample) and write the model, "
        + "history, plots and metrics into an output folder.")
final class TrainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions configOptions;

  @Mixin
  TrainingFlags trainingFlags;

  @Mixin
  RuntimeOptions runtime;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "Write into exactly this folder (default: output.dir/<name>-<time>/ of the config).")
  String output;

  @Option(names = "--resume", paramLabel = "CHECKPOINT",
      description = "Continue the run saved in this checkpoint (same config and data) up to the configured epochs.")
  String resume;

  @Option(names = "--init-from", paramLabel = "MODEL_DIR",
      description = "Start from the weights of a saved model with the same architecture.")
  Path initFrom;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ConfigLoader.Loaded loaded = configOptions.load(trainingFlags, null);
    RunConfig cfg = loaded.config();
    Backends.check(runtime, cfg.checkpoint().everyEpochs() > 0, resume);
    out.println("config: " + loaded.source());
    Runs.Data data = Runs.load(loaded);
    Model model = Runs.newModel(cfg, data.train());
    if (initFrom != null) {
      model = initialWeights(model, initFrom);
    }
    var arch = model.architecture();
    var test = Runs.shapedFor(arch, data.test());
    var validation = data.validation() == data.test() ? test : Runs.shapedFor(arch, data.validation());
    data = new Runs.Data(Runs.shapedFor(arch, data.train()), validation, test, data.validationFrom());
    Runs.describe(data, arch, model.loss().isClassification(), out);
    out.print(arch.summary());
    TrainingConfig tc = cfg.training();
    out.printf(Locale.ROOT, "loss %s, optimizer %s, %d epochs of %d steps (batch %d)%n", Json.toJson(model.loss()),
        Json.toJson(tc.optimizer()), tc.epochs(), PartitionWorker.stepsPerEpoch(data.train().size(), tc.batchSize()),
        tc.batchSize());
    Path folder = RunFolder.create(cfg.output(), cfg.name(), output);
    byte[] configJson = ConfigLoader.toJson(cfg).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(o -> o.write(configJson), folder.resolve("config.json"));
    out.flush();

    Progress progress = new Progress(runtime.progress, out, System.err);
    List<TrainingListener> listeners = List.of(progress);
    Checkpoints checkpoints = Checkpoints.NONE;
    if (cfg.checkpoint().everyEpochs() > 0) {
      String path = cfg.checkpoint().path() != null ? cfg.checkpoint().path()
          : folder.resolve("checkpoint").toAbsolutePath().toUri().toString();
      checkpoints = new Checkpoints(path, cfg.checkpoint().everyEpochs(), resume);
      out.println("checkpoints every " + cfg.checkpoint().everyEpochs() + " epochs to " + path);
    } else if (resume != null) {
      checkpoints = new Checkpoints(null, 1, resume);
    }
    long start = System.nanoTime();
    History history;
    double seconds;
    try (progress; TrainingBackend backend = Backends.create(runtime, cfg.spark(), "sparkprop train " + cfg.name(),
        checkpoints)) {
      out.printf(Locale.ROOT, "training on %s (started in %.1f s)%n", backend.description(),
          (System.nanoTime() - start) / 1e9);
      out.flush();
      long t0 = System.nanoTime();
      history = backend.fit(tc, listeners, model, data.train(), data.validation());
      seconds = (System.nanoTime() - t0) / 1e9;
    }

    List<String> written = new ArrayList<>(List.of("config.json"));
    ModelIO.save(model, trainingJson(cfg), folder.resolve(RunFolder.MODEL));
    written.add(RunFolder.MODEL + "/");
    HistoryFiles.write(history, folder);
    written.add("history.csv");
    written.add("history.json");
    String subtitle = String.format(Locale.ROOT, "%s (lr %.3g), batch %d, %d of %d epochs, %.1f s",
        Json.mapper().valueToTree(tc.optimizer()).path("type").asText("optimizer"),
        tc.optimizer().learningRate(), tc.batchSize(),
        history.epochs().size(), tc.epochs(), seconds);
    EpochMarker marker = EpochMarker.of(history, tc.earlyStopping());
    if (Evaluation.plot(() -> Plots.training(history, cfg.name(), subtitle, marker, folder.resolve("training.png")),
        "training.png", out)) {
      written.add("training.png");
    }
    ObjectNode metrics = Json.mapper().createObjectNode();
    metrics.put("epochs", history.epochs().size());
    metrics.put("train_seconds", seconds);
    if (!history.epochs().isEmpty()) {
      metrics.put("final_loss", history.last().loss());
      putIfFinite(metrics, "final_accuracy", history.last().accuracy());
      putIfFinite(metrics, "final_val_loss", history.last().valLoss());
      putIfFinite(metrics, "final_val_accuracy", history.last().valAccuracy());
    }
    if (data.test() != null) {
      Evaluation.Result r = Evaluation.run(model, data.test());
      r.putInto(metrics, "test");
      out.println("test: " + r.line());
      Evaluation.writeConfusion(r, folder, out);
      if (r.confusion() != null) {
        written.add("confusion-matrix.txt");
        written.add("confusion-matrix.png");
      }
    }
    Evaluation.writeJson(metrics, folder.resolve("metrics.json"));
    written.add("metrics.json");
    out.printf(Locale.ROOT, "trained in %.1f s; wrote %s: %s%n", seconds, folder, String.join(", ", written));
    out.flush();
    return 0;
  }

  /** The training section of the config, stored in the model file. */
  static JsonNode trainingJson(RunConfig cfg) {
    return Json.mapper().valueToTree(cfg.training());
  }

  private static Model initialWeights(Model fresh, Path dir) throws java.io.IOException {
    Model saved = ModelIO.load(dir);
    if (!saved.architecture().equals(fresh.architecture())) {
      throw new io.sparkprop.cli.config.ConfigException("--init-from " + dir + ": the saved model's architecture "
          + "differs from the config's:\n" + saved.architecture().summary() + "versus\n"
          + fresh.architecture().summary());
    }
    return new Model(fresh.architecture(), fresh.loss(), saved.params().clone());
  }

  private static void putIfFinite(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    }
  }
}
