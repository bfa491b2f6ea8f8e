package io.sparkprop.cli;

import io.sparkprop.cli.config.ConfigLoader;
import io.sparkprop.cli.config.RunConfig;
import io.sparkprop.cli.report.Plots;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.io.AtomicFiles;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.tensor.Shape;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lr-find}: the learning-rate range test ({@link LrFinder}) on the config's model and
 * training data; writes {@code lr-find.csv} and {@code lr-find.png} and prints the suggested rate.
 */
@Command(name = "lr-find", mixinStandardHelpOptions = true,
    description = "Learning-rate range test: train briefly with an exponentially growing rate, plot the loss "
        + "and suggest a rate.")
final class LrFindCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions configOptions;

  @Mixin
  TrainingFlags trainingFlags;

  @Mixin
  RuntimeOptions runtime;

  @Option(names = "--min-lr", paramLabel = "RATE", description = "First rate (default ${DEFAULT-VALUE}).")
  double minLr = 1e-6;

  @Option(names = "--max-lr", paramLabel = "RATE", description = "Last rate (default ${DEFAULT-VALUE}).")
  double maxLr = 1.0;

  @Option(names = "--steps", paramLabel = "N", description = "Steps of the test (default ${DEFAULT-VALUE}).")
  int steps = 200;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "Write into exactly this folder (default: output.dir/<name>-lr-find-<time>/).")
  String output;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ConfigLoader.Loaded loaded = configOptions.load(trainingFlags, null);
    RunConfig cfg = loaded.config();
    out.println("config: " + loaded.source());
    Path folder;
    LrFinder.Result r;
    try (SparkSessions.Session session = SparkSessions.start("sparkprop lr-find " + cfg.name(), runtime.master,
        cfg.spark())) {
      Inputs.Frames data = Inputs.load(session.spark(), loaded, cfg.model().loss().isClassification());
      int features = Inputs.featureSize(data.train(), "data.train");
      Model model = Model.init(cfg.model().architecture(Shape.of(features)), cfg.model().loss(), cfg.model().seed());
      int classes = model.loss().isClassification() ? Math.max(2, model.outputSize()) : 0;
      Preprocessing pre = Preprocessing.fit(data.train(), cfg.data().standardize(), classes);
      // the range test runs a few hundred steps: it works on the training samples collected here
      DataSet train = Inputs.collect(pre.apply(data.train(), "data.train"), model.architecture().inputShape(),
          "data.train");
      out.printf(Locale.ROOT, "learning-rate range test: %d steps from %.1e to %.1e, batch %d, %,d training samples%n",
          steps, minLr, maxLr, cfg.training().batchSize(), train.size());
      folder = RunFolder.create(cfg.output(), cfg.name() + "-lr-find", output);
      try (TrainingBackend backend = Backends.create(runtime, cfg.spark(), session, Checkpoints.NONE)) {
        out.println("running on " + backend.description());
        out.flush();
        try (Progress progress = Progress.forRangeTest(runtime.progress, out, System.err, steps)) {
          r = LrFinder.run(backend, model, train, cfg.training(), minLr, maxLr, steps, progress);
        }
      }
    }
    StringBuilder csv = new StringBuilder("step,lr,loss,smoothed_loss\n");
    for (int i = 0; i < r.rates().length; i++) {
      csv.append(String.format(Locale.ROOT, "%d,%.6g,%.6g,%.6g%n", i, r.rates()[i], r.losses()[i], r.smoothed()[i]));
    }
    byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(o -> o.write(bytes), folder.resolve("lr-find.csv"));
    boolean plotted = Evaluation.plot(() -> Plots.lrFind(r.rates(), r.losses(), r.smoothed(), r.steepest(),
        folder.resolve("lr-find.png")), "lr-find.png", out);
    out.printf(Locale.ROOT, "recorded %d steps; stopped: %s%n", r.rates().length, r.stop());
    if (Double.isNaN(r.steepest())) {
      out.println("no suggestion: the loss did not fall over the tested range (try a wider range or more steps)");
    } else {
      out.printf(Locale.ROOT, "suggested learning rate: %.2e (steepest fall of the smoothed loss); "
          + "minimum loss rate / 10: %.2e%n", r.steepest(), r.minOver10());
      out.printf(Locale.ROOT, "use it with: --lr %.2e%n", r.steepest());
    }
    out.printf("wrote %s: lr-find.csv%s%n", folder, plotted ? ", lr-find.png" : "");
    out.flush();
    return 0;
  }
}
