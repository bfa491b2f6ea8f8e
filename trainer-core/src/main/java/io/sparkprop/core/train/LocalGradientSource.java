package io.sparkprop.core.train;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.model.Sequential;

/** Gradients from an in-memory data set in this JVM: one partition, index 0. */
public final class LocalGradientSource implements GradientSource {
  private final PartitionWorker worker;
  private final Timings timings = new Timings();

  public LocalGradientSource(Sequential architecture, Loss loss, DataSet train, long seed) {
    this.worker = new PartitionWorker(architecture, loss, train, 0, seed);
  }

  @Override
  public long size() {
    return worker.data().size();
  }

  @Override
  public LossSums gradient(float[] params, int epoch, int step, int steps, float[] grad) {
    long t0 = System.nanoTime();
    java.util.Arrays.fill(grad, 0f);
    LossSums s = worker.accumulate(params, epoch, step, steps, grad);
    timings.add(Timings.Phase.COMPUTE, System.nanoTime() - t0);
    return s;
  }

  @Override
  public Timings timings() {
    return timings;
  }
}
