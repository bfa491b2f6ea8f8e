package io.sparkprop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.cli.config.ConfigLoader;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.core.model.Model;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate}: loss and accuracy of a saved model on the test data of a config (by default
 * the {@code config.json} of the run that trained it), computed by the executors with the
 * model's saved preprocessing, the confusion matrix for classifiers
 * (printed, and written as text and PNG), and {@code evaluation.json}; for {@code --split train}
 * the files are {@code evaluation-train.json} and {@code confusion-matrix-train.*}, so the
 * training run's test report is never replaced by train-split figures.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate a saved model on the test data: loss, accuracy, confusion matrix (text and PNG).")
final class EvaluateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL_DIR", description = "The saved model folder.")
  Path model;

  @Mixin
  ConfigOptions configOptions;

  @Option(names = "--split", paramLabel = "test|train", description = "Which data of the config (default test).")
  String split = "test";

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "Where to write the results (default: the run folder of the model).")
  Path output;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!split.equals("test") && !split.equals("train")) {
      throw new io.sparkprop.cli.config.ConfigException("--split: expected test or train, got \"" + split + "\"");
    }
    Model m = ModelIO.load(model);
    Preprocessing pre = Preprocessing.load(model);
    ConfigLoader.Loaded loaded = configOptions.load(null, runConfig(model));
    var text = TextInputs.forModel(model, m, loaded);
    out.println("model: " + model + "; data: " + split + " data of " + loaded.source());
    Evaluation.Result r;
    try (SparkSessions.Session session = SparkSessions.start("sparkprop evaluate", null, loaded.config().spark())) {
      var d = loaded.config().data();
      boolean useTrain = split.equals("train") || d.test() == null;
      int classes = m.loss().isClassification() && !pre.mapsLabels() ? Math.max(2, m.outputSize()) : 0;
      String key = useTrain ? "data.train" : "data.test";
      var frame = Inputs.read(session.spark(), loaded, useTrain ? d.train() : d.test(), key, classes, text,
          pre.readerOptions());
      r = Scoring.evaluate(m, pre.apply(frame, key), key, loaded.config().metrics().options());
    }
    out.println(split + ": " + r.line());
    Path folder = output != null ? Files.createDirectories(output) : RunFolder.ofModel(model);
    out.print(r.report());
    if (r.confusion() != null) {
      out.print(r.confusion().format());
    }
    // the training run's test report is confusion-matrix.txt and metrics.json: another split never
    // writes over it
    String suffix = split.equals("train") ? "-train" : "";
    Evaluation.writeConfusion(r, folder, "confusion-matrix" + suffix, out);
    ObjectNode json = Json.mapper().createObjectNode();
    json.put("model", model.toString());
    json.put("data", split + " data of " + loaded.source());
    r.putInto(json, split);
    Evaluation.writeJson(json, folder.resolve("evaluation" + suffix + ".json"));
    out.println("wrote " + folder + ": evaluation" + suffix + ".json" + (r.confusion() != null
        ? ", confusion-matrix" + suffix + ".txt, confusion-matrix" + suffix + ".png" : ""));
    out.flush();
    return 0;
  }

  /** The {@code config.json} of the run that saved {@code modelDir}, or null (then the default config). */
  static String runConfig(Path modelDir) {
    Path c = RunFolder.ofModel(modelDir).resolve("config.json");
    return Files.isRegularFile(c) ? c.toString() : null;
  }
}
