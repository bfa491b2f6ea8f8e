package io.sparkprop.examples;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Tanh;
import io.sparkprop.core.loss.MeanSquaredError;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.EarlyStopping;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;

/**
 * Regression through the Java API: learn {@code y = sin(3·x1)·x2 + 0.5·x3² + noise} (noise
 * standard deviation 0.05) from 4,000 samples with a 3-64-64-1 tanh network and mean squared
 * error, with early stopping on a validation split; report the test MSE and
 * {@code R² = 1 − MSE / Var(y)}.
 * <pre>mvn -q -pl examples -am package -DskipTests -Dexample=Regression</pre>
 */
public final class Regression {
  private static final double NOISE = 0.05;

  private Regression() {
  }

  /** {@code n} samples with x uniform in [-1, 1]³. */
  static DataSet synthetic(int n, long seed) {
    Rng rng = new Rng(seed);
    float[] x = new float[n * 3];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double x1 = 2 * rng.nextDouble() - 1;
      double x2 = 2 * rng.nextDouble() - 1;
      double x3 = 2 * rng.nextDouble() - 1;
      x[i * 3] = (float) x1;
      x[i * 3 + 1] = (float) x2;
      x[i * 3 + 2] = (float) x3;
      y[i] = (float) (Math.sin(3 * x1) * x2 + 0.5 * x3 * x3 + NOISE * rng.nextGaussian());
    }
    return new DataSet(Shape.of(3), 1, n, x, y);
  }

  public static void main(String[] args) {
    DataSet[] split = synthetic(4000, 1).randomSplit(0.2, 7);   // [0] training, [1] validation
    DataSet test = synthetic(1000, 2);

    Sequential arch = Sequential.of(Shape.of(3), new Dense(64), new Tanh(), new Dense(64), new Tanh(), new Dense(1));
    System.out.print(arch.summary());
    Model model = Model.init(arch, new MeanSquaredError(), 42);

    TrainingConfig config = TrainingConfig.DEFAULTS
        .withOptimizer(new Adam(3e-3))
        .withEpochs(150)
        .withBatchSize(64)
        .withEarlyStopping(new EarlyStopping("val_loss", 10, 0, true));
    new Trainer(config).fit(model, split[0], split[1]);

    double mse = model.evaluate(test).meanLoss();
    double mean = 0;
    for (int i = 0; i < test.size(); i++) {
      mean += test.labels()[i];
    }
    mean /= test.size();
    double variance = 0;
    for (int i = 0; i < test.size(); i++) {
      variance += (test.labels()[i] - mean) * (test.labels()[i] - mean);
    }
    variance /= test.size();
    System.out.printf("test MSE %.5f (noise floor %.5f), R² %.4f%n", mse, NOISE * NOISE, 1 - mse / variance);

    float[] x = {0.5f, -0.8f, 0.3f};
    float[] y = model.predict(x, 1);
    System.out.printf("f(0.5, -0.8, 0.3) = %.4f, model says %.4f%n",
        Math.sin(1.5) * -0.8 + 0.5 * 0.09, y[0]);
  }
}
