package io.sparkprop.cli;

import io.sparkprop.cli.config.ConfigLoader;
import io.sparkprop.cli.config.RunConfig;
import io.sparkprop.core.io.Json;
import io.sparkprop.core.io.ModelFile;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code summary}: the Keras-style table of a saved model ({@code --model}) or of a config's
 * model (reading the training data only when the config gives no {@code model.inputShape}).
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = "Print the layers, output shapes and parameter counts of a config's model or a saved model.")
final class SummaryCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions configOptions;

  @Option(names = {"-m", "--model"}, paramLabel = "MODEL_DIR", description = "A saved model folder.")
  Path model;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (model != null) {
      ModelFile header = ModelIO.readHeader(model);
      out.println("model: " + model);
      out.print(header.architecture().summary());
      out.println("loss: " + Json.toJson(header.loss()));
      if (header.training() != null) {
        out.println("trained with: " + Json.toJson(header.training()));
      }
      out.flush();
      return 0;
    }
    ConfigLoader.Loaded loaded = configOptions.load(null, null);
    RunConfig cfg = loaded.config();
    Shape in = cfg.model().inputShape();
    if (in == null) {
      try (SparkSessions.Session session = SparkSessions.start("sparkprop summary", null, cfg.spark())) {
        in = io.sparkprop.core.tensor.Shape.of(Inputs.featureSize(
            Inputs.read(session.spark(), loaded, cfg.data().train(), "data.train", 0), "data.train"));
      }
    }
    Sequential arch = cfg.model().architecture(in);
    out.println("config: " + loaded.source());
    out.print(arch.summary());
    out.println("loss: " + Json.toJson(cfg.model().loss()));
    out.println("training: " + Json.toJson(cfg.training()));
    out.flush();
    return 0;
  }
}
