package io.sparkprop.cli;

import io.sparkprop.cli.config.ConfigLoader;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.io.AtomicFiles;
import io.sparkprop.core.io.IdxReader;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.core.model.Model;
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
 * {@code predict}: a saved model's predictions for an IDX image file ({@code --images}) or a
 * config's test data, as CSV: {@code index,predicted[,label],p_0,...} for classifiers (class
 * probabilities), {@code index,y_0,...[,label_0,...]} for regression.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Predict with a saved model and write the predictions as CSV.")
final class PredictCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL_DIR", description = "The saved model folder.")
  Path model;

  @Option(names = "--images", paramLabel = "FILE", description = "An IDX image file to predict (no labels needed).")
  Path images;

  @Mixin
  ConfigOptions configOptions;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "The CSV file (default: predictions.csv in the run folder of the model).")
  Path output;

  @Option(names = "--show", paramLabel = "N", description = "Print the first N predictions (default ${DEFAULT-VALUE}).")
  int show = 10;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Model m = ModelIO.load(model);
    DataSet data;
    boolean labelled;
    String from;
    if (images != null) {
      IdxReader.Idx x = IdxReader.read(images);
      int n = x.dims().length > 0 ? x.dims()[0] : 0;
      IdxReader.Idx none = new IdxReader.Idx("(no labels)", new int[] {n}, new byte[n]);
      data = IdxReader.dataSet(x, none, false);
      if (configOptions.limit != null && configOptions.limit > 0 && configOptions.limit < n) {
        data = data.slice(0, configOptions.limit);
      }
      labelled = false;
      from = images.toString();
    } else {
      ConfigLoader.Loaded loaded = configOptions.load(null, EvaluateCommand.runConfig(model));
      data = Runs.loadTest(loaded, "test");
      labelled = true;
      from = "test data of " + loaded.source();
    }
    data = Runs.shapedFor(m.architecture(), data);
    data.checkFits(m.architecture(), m.loss(), from);
    float[] p = m.predict(data.features(), data.size());
    int w = m.outputSize();
    boolean classifier = m.loss().isClassification();
    int[] classes = classifier ? m.predictClasses(data.features(), data.size()) : null;
    StringBuilder csv = new StringBuilder("index");
    csv.append(classifier ? ",predicted" : "");
    if (labelled) {
      for (int j = 0; j < data.labelWidth(); j++) {
        csv.append(data.labelWidth() == 1 ? ",label" : ",label_" + j);
      }
    }
    for (int j = 0; j < w; j++) {
      csv.append(classifier ? ",p_" : ",y_").append(j);
    }
    csv.append('\n');
    for (int i = 0; i < data.size(); i++) {
      csv.append(i);
      if (classifier) {
        csv.append(',').append(classes[i]);
      }
      if (labelled) {
        for (int j = 0; j < data.labelWidth(); j++) {
          csv.append(',').append(number(data.labels()[i * data.labelWidth() + j]));
        }
      }
      for (int j = 0; j < w; j++) {
        csv.append(',').append(number(p[i * w + j]));
      }
      csv.append('\n');
      if (i < show) {
        out.printf(Locale.ROOT, "%d: %s%n", i, classifier
            ? String.format(Locale.ROOT, "class %d (p=%.3f)%s", classes[i], p[i * w + (w == 1 ? 0 : classes[i])],
                labelled ? ", label " + number(data.labels()[i * data.labelWidth()]) : "")
            : number(p[i * w]));
      }
    }
    Path file = output != null ? output : RunFolder.ofModel(model).resolve("predictions.csv");
    byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(o -> o.write(bytes), file);
    out.printf(Locale.ROOT, "predicted %,d samples of %s; wrote %s%n", data.size(), from, file);
    out.flush();
    return 0;
  }

  private static String number(float v) {
    return v == Math.rint(v) && Math.abs(v) < 1e7 ? Integer.toString((int) v) : Float.toString(v);
  }
}
