package io.sparkprop.cli;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;
import io.sparkprop.core.train.TrainingListener;
import java.util.List;

/** Training in this JVM with the core single-JVM trainer (no Spark): {@code --backend local}. */
public final class LocalBackend implements TrainingBackend {

  @Override
  public String description() {
    return "this JVM (no Spark, one partition)";
  }

  @Override
  public History fit(TrainingConfig config, List<TrainingListener> listeners, Model model, DataSet train,
                     DataSet validation) {
    Trainer trainer = new Trainer(config);
    for (TrainingListener l : listeners) {
      trainer.addListener(l);
    }
    return trainer.fit(model, train, validation);
  }

  @Override
  public void close() {
  }
}
