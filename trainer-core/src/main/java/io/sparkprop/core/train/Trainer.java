package io.sparkprop.core.train;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.layer.Regularizer;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.metrics.MetricOptions;
import io.sparkprop.core.metrics.MetricSums;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.optim.OptimizerState;
import io.sparkprop.core.optim.PlateauTracker;
import io.sparkprop.core.optim.ReduceOnPlateau;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training loop: epochs of synchronous steps. Each step asks a {@link GradientSource} for
 * the gradient summed over the step's samples, divides by the true sample count, adds
 * regularisation, clips, and applies the optimizer ({@link Optimizers#step}); state tensors
 * (batch-norm statistics) get their running-average update. The same loop serves the single-JVM
 * trainer ({@link #fit(Model, DataSet, DataSet)}) and the Spark trainer, which only brings
 * another source.
 */
public final class Trainer {
  private final TrainingConfig config;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private MetricOptions metricOptions = MetricOptions.DEFAULTS;

  public Trainer(TrainingConfig config) {
    this.config = config;
    listeners.add(new EpochLogger());
  }

  /** The configuration. */
  public TrainingConfig config() {
    return config;
  }

  /** Settings of the validation metrics (top-k, AUC bins); returns this trainer. */
  public Trainer withMetricOptions(MetricOptions options) {
    this.metricOptions = options;
    return this;
  }

  /** Adds a callback; returns this trainer. */
  public Trainer addListener(TrainingListener l) {
    listeners.add(l);
    return this;
  }

  /**
   * Trains {@code model} in this JVM on {@code train}, reporting validation metrics on
   * {@code validation} (may be null) after each epoch. Both data sets are checked first.
   */
  public History fit(Model model, DataSet train, DataSet validation) {
    train.checkFits(model.architecture(), model.loss(), "training data");
    if (train.size() == 0) {
      throw new io.sparkprop.core.data.DataException("training data: the data set is empty");
    }
    Evaluator eval = null;
    if (validation != null) {
      validation.checkFits(model.architecture(), model.loss(), "validation data");
      PartitionWorker w = new PartitionWorker(model.architecture(), model.loss(), validation, 0, config.seed());
      eval = Evaluator.withMetrics(w::evaluate);
    }
    try (GradientSource source = new LocalGradientSource(model.architecture(), model.loss(), train, config.seed())) {
      return fit(model, source, eval, null);
    }
  }

  /** Loss and accuracy of {@code model} on {@code data}. */
  public static LossSums evaluate(Model model, DataSet data) {
    return model.evaluate(data);
  }

  /** A fresh state for {@code model}: step 0, zero optimizer slots, empty history. */
  public TrainingState initialState(Model model) {
    return new TrainingState(OptimizerState.create(config.optimizer(), model.params().length), new History());
  }

  /**
   * The loop. Trains {@code model} in place with gradients from {@code source}; continues from
   * {@code resume} (a checkpointed state matching the model's parameters) when not null.
   *
   * @throws TrainingDivergedException when a loss or gradient is NaN or infinite (the
   *     parameters are left at the last good step)
   */
  public History fit(Model model, GradientSource source, Evaluator validation, TrainingState resume) {
    float[] p = model.params();
    ParamLayout layout = model.architecture().layout();
    TrainingState st = resume != null ? resume : initialState(model);
    StepUpdate update = new StepUpdate(config, layout, regularised(model, layout));
    int steps = PartitionWorker.stepsPerEpoch(source.size(), config.batchSize());
    float[] g = new float[p.length];
    for (TrainingListener l : listeners) {
      l.onTrainBegin(model, config, steps, st);
    }
    Timings timings = source.timings();
    boolean stop = false;
    for (int epoch = st.completedEpochs; epoch < config.epochs() && !stop; epoch++) {
      long start = System.nanoTime();
      long[] phases0 = timings.snapshot();
      long updateNanos = 0;
      double lossSum = 0;
      double penaltySum = 0;
      double weight = 0;
      long count = 0;
      long correct = 0;
      double lr = 0;
      for (int s = 0; s < steps; s++) {
        lr = config.optimizer().learningRate() * st.lrFactor
            * config.schedule().multiplier(epoch, st.globalStep, steps);
        LossSums b = source.gradient(p, epoch, s, steps, g);
        long t0 = System.nanoTime();
        if (b.count() > 0) {
          double penalty = update.apply(p, g, b, st.optimizer, lr, epoch, s, st.globalStep);
          penaltySum += penalty * b.weight();
          lossSum += b.lossSum();
          weight += b.weight();
          count += b.count();
          correct += b.correct();
          st.globalStep++;
        }
        updateNanos += System.nanoTime() - t0;
        for (TrainingListener l : listeners) {
          l.onStepEnd(epoch, s, steps, b);
        }
      }
      MetricSums metrics = validation == null ? null
          : MetricSums.forLoss(model.loss(), model.outputSize(), metricOptions);
      LossSums val = validation == null ? null : validation.evaluate(p, metrics);
      boolean classifier = model.loss().isClassification();
      long[] phases1 = timings.snapshot();
      double[] phaseSeconds = new double[phases1.length];
      for (int i = 0; i < phases1.length; i++) {
        phaseSeconds[i] = (phases1[i] - phases0[i]) / 1e9;
      }
      phaseSeconds[Timings.Phase.UPDATE.ordinal()] = updateNanos / 1e9;
      EpochLog log = new EpochLog(epoch + 1, (lossSum + penaltySum) / weight,
          classifier ? (double) correct / count : Double.NaN,
          val == null ? Double.NaN : val.meanLoss(),
          val == null || !classifier ? Double.NaN : val.accuracy(),
          lr, (System.nanoTime() - start) / 1e9, count, phaseSeconds,
          metrics == null ? Map.of() : metrics.values());
      st.history.add(log);
      st.completedEpochs = epoch + 1;
      updatePlateau(st, log);
      stop = updateEarlyStopping(st, log, p);
      for (TrainingListener l : listeners) {
        l.onEpochEnd(log, st, model);
      }
    }
    EarlyStopping es = config.earlyStopping();
    boolean restored = es != null && es.restoreBestWeights() && st.bestParams != null;
    if (restored) {
      System.arraycopy(st.bestParams, 0, p, 0, p.length);
    }
    if (es != null) {
      StopSummary summary = new StopSummary(es.monitor(), es.patience(), st.completedEpochs, config.epochs(), stop,
          st.stopBestEpoch, st.stopBest, restored);
      for (TrainingListener l : listeners) {
        l.onEarlyStopping(summary);
      }
    }
    for (TrainingListener l : listeners) {
      l.onTrainEnd(st.history, model);
    }
    return st.history;
  }

  /** (from, to) ranges of every kernel with an L1/L2 penalty, with their regularizers. */
  private static List<StepUpdate.Penalty> regularised(Model model, ParamLayout layout) {
    List<StepUpdate.Penalty> out = new ArrayList<>();
    List<Layer> layers = model.architecture().layers();
    for (int i = 0; i < layers.size(); i++) {
      Regularizer r = layers.get(i).regularizer();
      if (r.isNone()) {
        continue;
      }
      for (ParamLayout.Entry e : layout.ofLayer(i)) {
        if (e.spec().trainable() && !e.spec().name().equals("bias")) {
          out.add(new StepUpdate.Penalty(e.offset(), e.end(), r));
        }
      }
    }
    return out;
  }

  /** Reduce-on-plateau: feeds the epoch's metric to a tracker restored from and saved to the state. */
  private void updatePlateau(TrainingState st, EpochLog log) {
    if (!(config.schedule() instanceof ReduceOnPlateau r)) {
      return;
    }
    PlateauTracker t = new PlateauTracker(r, config.optimizer().learningRate());
    t.restore(st.lrFactor, st.plateauBest, st.plateauWait);
    st.lrFactor = t.update(log.metric(r.monitor()));
    st.plateauBest = t.best();
    st.plateauWait = t.epochsWaited();
  }

  /** Early stopping, likewise through its tracker; returns true when training should stop. */
  private boolean updateEarlyStopping(TrainingState st, EpochLog log, float[] p) {
    EarlyStopping es = config.earlyStopping();
    if (es == null) {
      return false;
    }
    EarlyStoppingTracker t = new EarlyStoppingTracker(es);
    t.restore(st.stopBest, st.stopBestEpoch, st.stopWait);
    if (t.update(log.metric(es.monitor()), log.epoch()) && es.restoreBestWeights()) {
      st.bestParams = p.clone();
    }
    st.stopBest = t.best();
    st.stopBestEpoch = t.bestEpoch();
    st.stopWait = t.epochsWaited();
    return t.shouldStop();
  }
}
