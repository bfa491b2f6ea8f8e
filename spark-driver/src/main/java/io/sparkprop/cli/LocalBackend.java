package io.sparkprop.cli;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.Trainer;

/** Training in this JVM with the core single-JVM trainer (no Spark): {@code --backend local}. */
public final class LocalBackend implements TrainingBackend {

  @Override
  public String description() {
    return "this JVM (no Spark, one partition)";
  }

  @Override
  public History fit(Trainer trainer, Model model, DataSet train, DataSet validation) {
    return trainer.fit(model, train, validation);
  }

  @Override
  public void close() {
  }
}
