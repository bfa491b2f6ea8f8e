package io.sparkprop.examples;

import io.sparkprop.core.data.DataSet;
import io.sparkprop.core.io.IdxReader;
import io.sparkprop.core.io.ModelIO;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.train.History;
import io.sparkprop.core.train.Trainer;
import io.sparkprop.core.train.TrainingConfig;
import java.nio.file.Path;

/**
 * An MLP 784-256-128-10 (ReLU) on the bundled 10,000-digit MNIST sample through the Java API, in
 * this JVM: read the IDX files, print the model summary, train with Adam, evaluate, predict, save.
 * <pre>mvn -q -pl examples -am package -DskipTests -Dexample=MnistMlp</pre>
 */
public final class MnistMlp {
  private MnistMlp() {
  }

  public static void main(String[] args) throws Exception {
    Path dir = IdxReader.findUp(Path.of(""), IdxReader.MNIST_SAMPLE);
    IdxReader.Mnist mnist = IdxReader.mnist(dir, false);
    DataSet train = mnist.train();
    DataSet test = mnist.test();
    System.out.printf("%,d training and %,d test digits from %s%n", train.size(), test.size(), dir);

    Sequential arch = Sequential.of(Shape.of(784),
        new Dense(256), new ReLU(),
        new Dense(128), new ReLU(),
        new Dense(10));
    System.out.print(arch.summary());
    Model model = Model.init(arch, new SoftmaxCrossEntropy(), 42);

    TrainingConfig config = TrainingConfig.DEFAULTS
        .withOptimizer(new Adam(1e-3))
        .withEpochs(10)
        .withBatchSize(128);
    long t0 = System.nanoTime();
    History history = new Trainer(config).fit(model, train, test);   // logs one line per epoch
    double seconds = (System.nanoTime() - t0) / 1e9;

    LossSums result = model.evaluate(test);
    System.out.printf("test loss %.4f, test accuracy %.4f after %d epochs (%.1f s)%n",
        result.meanLoss(), result.accuracy(), history.epochs().size(), seconds);

    float[] probabilities = model.predict(test.features(), 5);        // [5, 10]
    int[] classes = model.predictClasses(test.features(), 5);
    for (int i = 0; i < 5; i++) {
      System.out.printf("digit %d: predicted %d (p=%.3f), label %d%n", i, classes[i],
          probabilities[i * 10 + classes[i]], (int) test.labels()[i]);
    }

    Path out = Path.of("out", "examples", "mnist-mlp");
    ModelIO.save(model, out);
    Model loaded = ModelIO.load(out);
    System.out.printf("saved to %s; reloaded model accuracy %.4f%n", out, loaded.evaluate(test).accuracy());
  }
}
