package io.sparkprop.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkprop.core.io.IdxReader;
import io.sparkprop.core.layer.Conv2D;
import io.sparkprop.core.layer.Dense;
import io.sparkprop.core.layer.Dropout;
import io.sparkprop.core.layer.Flatten;
import io.sparkprop.core.layer.MaxPool2D;
import io.sparkprop.core.layer.Padding;
import io.sparkprop.core.layer.ReLU;
import io.sparkprop.core.loss.SoftmaxCrossEntropy;
import io.sparkprop.core.model.Model;
import io.sparkprop.core.model.Sequential;
import io.sparkprop.core.optim.Adam;
import io.sparkprop.core.tensor.Shape;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A LeNet-style CNN on the bundled MNIST sample (8,000 train / 2,000 test digits as
 * {@code (1, 28, 28)} images) with the single-JVM trainer must reach 97.5% test accuracy.
 *
 * <p>LeNet-5's layout (5x5 convolutions, 2x2 max pooling, ReLU) with 16/32 filters, one dense
 * layer of 128 and dropout 0.5: Adam 1e-3, batch 128, 15 epochs. Measured on this 2-core machine:
 * 98.0% (seed 1) and 97.95% (seed 2), in 100-115 s while the machine was shared (load 15-20).
 * Plain LeNet-5 (6/16 filters, 120-84) ends between 97.15% and 97.9% depending on seed and
 * schedule (PyTorch: 97.45% after 20 epochs), too close to the floor for a test.
 */
@Tag("slow")
class LeNetMnistTest {

  static Sequential lenetStyle() {
    return Sequential.of(Shape.of(1, 28, 28),
        new Conv2D(16, 5).withPadding(Padding.SAME), new ReLU(), new MaxPool2D(2),
        new Conv2D(32, 5), new ReLU(), new MaxPool2D(2),
        new Flatten(), new Dense(128), new ReLU(), new Dropout(0.5), new Dense(10));
  }

  @Test
  void lenetStyleCnnReaches97point5PercentOnTheMnistSample() throws Exception {
    IdxReader.Mnist mnist = IdxReader.mnist(IdxReader.findUp(Path.of("").toAbsolutePath(), IdxReader.MNIST_SAMPLE),
        true);
    assertThat(mnist.train().sampleShape()).isEqualTo(Shape.of(1, 28, 28));
    Model model = Model.init(lenetStyle(), new SoftmaxCrossEntropy(), 1);
    TrainingConfig cfg = TrainingConfig.DEFAULTS.withOptimizer(new Adam(1e-3)).withEpochs(15).withBatchSize(128)
        .withSeed(1);
    History h = new Trainer(cfg).fit(model, mnist.train(), mnist.test());
    assertThat(model.evaluate(mnist.test()).accuracy()).isEqualTo(h.last().valAccuracy());
    assertThat(h.last().valAccuracy()).isGreaterThanOrEqualTo(0.975);
  }
}
