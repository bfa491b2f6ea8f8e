package io.sparkprop.cli;

import io.sparkprop.cli.config.ConfigLoader;
import io.sparkprop.cli.config.DataSpec;
import io.sparkprop.cli.config.RunConfig;
import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.tensor.Shape;
import java.io.PrintWriter;
import java.util.Locale;

/** Steps shared by the commands: reading the data a config names and building its model. */
final class Runs {
  private Runs() {
  }

  /** The samples of a run; validation and test may be null. */
  record Data(DataSet train, DataSet validation, DataSet test, String validationFrom) {
  }

  /**
   * Reads the training and test data and sets validation data aside: a seeded
   * {@code validationSplit} of the training samples, else the test data, else none.
   */
  static Data load(ConfigLoader.Loaded c) {
    RunConfig cfg = c.config();
    DataSpec d = cfg.data();
    DataSet train = d.train().read(c.paths(), "data.train", d.limit());
    DataSet test = d.test() == null ? null : d.test().read(c.paths(), "data.test", d.limit());
    if (d.validationSplit() > 0) {
      DataSet[] parts = train.randomSplit(d.validationSplit(), cfg.training().seed());
      return new Data(parts[0], parts[1], test, "a " + d.validationSplit() + " split of the training data");
    }
    return new Data(train, test, test, test == null ? null : "the test data");
  }

  /** Only the test data (or the training data when the config has none), for evaluate/predict. */
  static DataSet loadTest(ConfigLoader.Loaded c, String split) {
    DataSpec d = c.config().data();
    if (split.equals("train") || d.test() == null) {
      return d.train().read(c.paths(), "data.train", d.limit());
    }
    return d.test().read(c.paths(), "data.test", d.limit());
  }

  /** A fresh model for the config, on samples shaped like {@code data}'s. */
  static Model newModel(RunConfig cfg, DataSet data) {
    Sequential arch = cfg.model().architecture(data.sampleShape());
    return Model.init(arch, cfg.model().loss(), cfg.model().seed());
  }

  /**
   * {@code d} viewed with the model's input shape when only the shape differs (e.g. IDX images
   * read as (784) for a model on (1, 28, 28)); the arrays are shared.
   */
  static DataSet shapedFor(Sequential arch, DataSet d) {
    if (d == null || d.sampleShape().equals(arch.inputShape()) || d.featureSize() != arch.inputShape().size()) {
      return d;
    }
    return new DataSet(arch.inputShape(), d.labelWidth(), d.size(), d.features(), d.labels());
  }

  /** "8,000 training samples of (784), validation: ..., 2,000 test samples". */
  static void describe(Data data, Sequential arch, boolean classifier, PrintWriter out) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "data: %,d training samples of %s", data.train().size(),
        data.train().sampleShape()));
    if (data.validation() != null && data.validation() != data.test()) {
      b.append(String.format(Locale.ROOT, ", %,d validation samples (%s)", data.validation().size(),
          data.validationFrom()));
    } else if (data.validation() != null) {
      b.append(", validation on ").append(data.validationFrom());
    }
    if (data.test() != null) {
      b.append(String.format(Locale.ROOT, ", %,d test samples", data.test().size()));
    }
    if (classifier) {
      b.append(String.format(Locale.ROOT, "; %d classes", arch.outputShape().size() == 1 ? 2
          : arch.outputShape().size()));
    }
    out.println(b);
  }
}
