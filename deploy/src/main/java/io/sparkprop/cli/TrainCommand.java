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
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code train}: reads the config, has the executors read the data (nothing is collected here:
 * the driver sees schemas, counts and the preprocessing statistics), prints the model summary,
 * trains with progress (deleting the run folder again when training fails), then
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

  @Mixin
  SafetyFlags safety;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "Write into exactly this folder (default: output.dir/<name>-<time>/ of the config).")
  String output;

  @Option(names = "--resume", paramLabel = "CHECKPOINT",
      description = "Continue the run saved in this checkpoint (same config and data) up to the configured epochs.")
  String resume;

  @Option(names = "--init-from", paramLabel = "MODEL_DIR",
      description = "Start from the weights of a saved model with the same architecture.")
  Path initFrom;

  /** The weight of each class from training.classWeight, or null. */
  private double[] weights;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ConfigLoader.Loaded loaded = configOptions.load(trainingFlags, null);
    RunConfig cfg = loaded.config();
    Backends.check(runtime, cfg.checkpoint().everyEpochs() > 0, resume);
    out.println("config: " + loaded.source());
    out.flush();
    Checkpoints checkpoints = checkpoints(cfg);
    Preflight.beforeSpark(cfg, runtime.master);
    // a missing or damaged --init-from model is reported before Spark starts
    Model saved = initFrom == null ? null : ModelIO.load(initFrom);
    long start = System.nanoTime();
    int code;
    try (OutputFolder folder = RunFolder.claim(cfg.output(), cfg.name(), output, safety.overwrite, resume, out);
         SparkSessions.Session session = Preflight.startSpark("sparkprop train " + cfg.name(), runtime.master,
        cfg.spark())) {
      Inputs.Frames data = Inputs.load(session.spark(), loaded, cfg.model().loss().isClassification());
      Preflight.trainingRows(cfg, data.split());
      Preflight.monitors(cfg, data.validation() != null); // a split may have held out no rows
      int features = data.text() != null ? data.text().config().maxLength()
          : Inputs.featureSize(data.train(), "data.train");
      Sequential checked = Preflight.architecture(cfg, features, Runtime.getRuntime().maxMemory());
      Preflight.labels(cfg, checked, data.train());
      Model model = Model.init(checked, cfg.model().loss(), cfg.model().seed());
      if (saved != null) {
        model = initialWeights(model, saved, initFrom);
      }
      if (resume != null) {
        ResumeCheck.check(session.spark().sparkContext().hadoopConfiguration(), resume, model, cfg, data.train(),
            safety.force);
      }
      var arch = model.architecture();
      boolean classifier = model.loss().isClassification();
      int classes = classifier ? Math.max(2, model.outputSize()) : 0;
      // the split has already listed the labels: no distinct-labels job
      Preprocessing pre = Preprocessing.fit(data.train(), cfg.data().standardize(), classes,
          data.split() == null ? null : data.split().labels());
      if (classifier && data.test() != null && (!pre.mapsLabels() || !pre.readerOptions().isEmpty())) {
        // labels are class indices, or strings: let the reader check the test labels, naming file and line
        Dataset<Row> test = Inputs.read(session.spark(), loaded, cfg.data().test(), "data.test",
            pre.mapsLabels() ? 0 : classes, data.text(), pre.readerOptions());
        data = data.withTest(test);
      }
      describe(data, features, classes, pre, cfg.data().weightCol(), out);
      if (cfg.classWeight() != null) {
        // before anything is written: a label the data lacks is reported here
        double[] w = ClassWeights.of(cfg.classWeight(), pre.apply(data.train(), "data.train"), pre, classes);
        out.println(ClassWeights.describe(w) + (cfg.data().weightCol() == null ? ""
            : " (times the sample weights of column '" + cfg.data().weightCol() + "')"));
        weights = w;
      }
      out.print(arch.summary());
      TrainingConfig tc = cfg.training();
      out.printf(Locale.ROOT, "loss %s, optimizer %s, %d epochs (batch %d)%n", Json.toJson(model.loss()),
          Json.toJson(tc.optimizer()), tc.epochs(), tc.batchSize());
      if (data.test() != null) {
        // the test data is evaluated after training: its bad rows are found now, before anything is written
        Inputs.scan(pre.apply(data.test(), "data.test"), "data.test");
      }
      History history = train(cfg, loaded, session, model, pre, data, checkpoints, folder.path(), start, out);
      folder.succeeded();
      code = Divergence.check(history, safety.allowDivergence, spec.commandLine().getErr());
    }
    return code;
  }

  private Checkpoints checkpoints(RunConfig cfg) {
    if (cfg.checkpoint().everyEpochs() > 0) {
      return new Checkpoints(cfg.checkpoint().path(), cfg.checkpoint().everyEpochs(), resume);
    }
    return resume != null ? new Checkpoints(null, 1, resume) : Checkpoints.NONE;
  }

  private History train(RunConfig cfg, ConfigLoader.Loaded loaded, SparkSessions.Session session, Model model,
                     Preprocessing pre, Inputs.Frames data, Checkpoints checkpoints, Path folder, long start,
                     PrintWriter out) throws Exception {
    byte[] configJson = ConfigLoader.toJson(cfg).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(o -> o.write(configJson), folder.resolve("config.json"));
    if (cfg.checkpoint().everyEpochs() > 0) {
      String path = cfg.checkpoint().path() != null ? cfg.checkpoint().path()
          : folder.resolve("checkpoint").toAbsolutePath().toUri().toString();
      checkpoints = new Checkpoints(path, cfg.checkpoint().everyEpochs(), resume);
      out.println("checkpoints every " + cfg.checkpoint().everyEpochs() + " epochs to " + path);
    }
    Progress progress = new Progress(runtime.progress, out, System.err);
    List<TrainingListener> listeners = List.of(progress);
    TrainingConfig tc = cfg.training();
    History history;
    double seconds;
    Dataset<Row> test = pre.apply(data.test(), "data.test");
    try (progress; TrainingBackend backend = Backends.create(runtime, cfg.spark(), session, checkpoints,
        cfg.metrics().options())) {
      out.printf(Locale.ROOT, "training on %s (started in %.1f s)%n", backend.description(),
          (System.nanoTime() - start) / 1e9);
      out.flush();
      long t0 = System.nanoTime();
      Dataset<Row> validation = pre.apply(data.validation(), "data.validation");
      Dataset<Row> train = pre.apply(data.train(), "data.train");
      history = backend.fit(tc, listeners, model, weights == null ? train : ClassWeights.apply(weights, train),
          validation);
      seconds = (System.nanoTime() - t0) / 1e9;
    }

    List<String> written = new ArrayList<>(List.of("config.json"));
    Path modelDir = folder.resolve(RunFolder.MODEL);
    ModelIO.save(model, trainingJson(cfg), modelDir);
    pre.save(modelDir);
    if (data.text() != null) {
      TextInputs.save(data.text(), modelDir);
    }
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
      history.last().valMetrics().forEach((k, v) -> putIfFinite(metrics, "final_val_" + k, v));
    }
    if (test != null) {
      Evaluation.Result r = Scoring.evaluate(model, test, "data.test", cfg.metrics().options());
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
    return history;
  }

  /**
   * "data: training rows of 784 features, validation on 10% per class of the training data (seed 42),
   * test data evaluated after training; 10 classes".
   */
  private static void describe(Inputs.Frames data, int features, int classes, Preprocessing pre, String weightCol,
                               PrintWriter out) {
    StringBuilder b = new StringBuilder("data: training rows of " + features + " features");
    b.append(data.validation() != null ? ", validation on " + data.validationFrom() : ", no validation");
    if (data.test() != null) {
      b.append(", test data evaluated after training");
    }
    if (classes > 0) {
      b.append("; ").append(classes).append(" classes");
    }
    if (pre.mean() != null) {
      b.append("; features standardized");
    }
    if (pre.labels() != null) {
      b.append("; labels indexed ").append(java.util.Arrays.toString(pre.labels()));
    } else if (pre.spec().stringLabels()) {
      b.append("; string labels indexed ").append(java.util.Arrays.toString(pre.spec().labelStrings()));
    }
    if (weightCol != null) {
      b.append("; sample weights from column '").append(weightCol).append("' (training only)");
    }
    if (data.text() != null) {
      b.append(String.format(Locale.ROOT, "; texts as %d token ids, vocabulary of %,d", features, data.text().size()));
    }
    out.println(b);
  }

  /** The training section of the config, stored in the model file. */
  static JsonNode trainingJson(RunConfig cfg) {
    return Json.mapper().valueToTree(cfg.training());
  }

  private static Model initialWeights(Model fresh, Model saved, Path dir) {
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
