package io.sparkprop.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkprop.core.train.EarlyStopping;
import io.sparkprop.core.train.EpochLog;
import io.sparkprop.core.train.History;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plots' numbers and rules (row shares, colour scale, text colour, marked epoch) and the PNGs they give. */
class PlotsTest {
  @TempDir
  Path dir;

  static ConfusionMatrix matrix() {
    // true 0: 8 right, 2 as 1; true 1: 1 as 0, 4 right; true 2: 5 right
    List<Float> actual = new ArrayList<>();
    List<Integer> predicted = new ArrayList<>();
    int[][] cells = {{8, 2, 0}, {1, 4, 0}, {0, 0, 5}};
    for (int t = 0; t < 3; t++) {
      for (int p = 0; p < 3; p++) {
        for (int i = 0; i < cells[t][p]; i++) {
          actual.add((float) t);
          predicted.add(p);
        }
      }
    }
    float[] a = new float[actual.size()];
    int[] p = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = actual.get(i);
      p[i] = predicted.get(i);
    }
    return ConfusionMatrix.of(3, a, 1, p, a.length);
  }

  static History history(double... valLoss) {
    List<EpochLog> logs = new ArrayList<>();
    for (int i = 0; i < valLoss.length; i++) {
      logs.add(new EpochLog(i + 1, 1.0 / (i + 1), 0.5 + 0.01 * i, valLoss[i], 0.6, 1e-3 / (i + 1), 1, 100,
          new double[] {0, 1, 0, 0}));
    }
    return new History(logs);
  }

  @Test
  void rowSharesDivideEachRowByItsSum() {
    double[][] r = ConfusionPlot.rowNormalised(matrix());
    assertThat(r[0]).containsExactly(new double[] {0.8, 0.2, 0}, within(1e-12));
    assertThat(r[1]).containsExactly(new double[] {0.2, 0.8, 0}, within(1e-12));
    assertThat(r[2]).containsExactly(new double[] {0, 0, 1}, within(1e-12));
  }

  @Test
  void aFewErrorsNextToALargeDiagonalAreNotNearWhite() {
    // one error among a diagonal of 1000 sits a tenth up the scale (linear would give 0.001)
    assertThat(ConfusionPlot.scale(1, 1000)).isGreaterThan(0.09);
    assertThat(ConfusionPlot.scale(0, 1000)).isZero();
    assertThat(ConfusionPlot.scale(1000, 1000)).isEqualTo(1.0);
    Color one = ConfusionPlot.colour(ConfusionPlot.scale(1, 1000));
    assertThat(ConfusionPlot.contrast(one, Color.WHITE)).isGreaterThan(1.1);
  }

  @Test
  void cellTextIsWhiteOnDarkAndBlackOnLightAndAlwaysReadable() {
    assertThat(ConfusionPlot.textColour(ConfusionPlot.colour(1))).isEqualTo(Color.WHITE);
    assertThat(ConfusionPlot.textColour(ConfusionPlot.colour(0))).isEqualTo(Color.BLACK);
    for (int i = 0; i <= 100; i++) {
      Color bg = ConfusionPlot.colour(i / 100.0);
      assertThat(ConfusionPlot.contrast(ConfusionPlot.textColour(bg), bg)).as("cell at %d%%", i).isGreaterThan(4.5);
    }
  }

  @Test
  void colourBarLabelsAreIntegersUpToTheMaximum() {
    assertThat(ConfusionPlot.ticks(108)).containsExactly(0L, 1L, 2L, 5L, 10L, 20L, 50L, 108L);
    assertThat(ConfusionPlot.ticks(1)).containsExactly(0L, 1L);
  }

  @Test
  void confusionPngHasBothPanelsAtTheExpectedSize() throws IOException {
    Path png = dir.resolve("confusion-matrix.png");
    Plots.confusion(matrix(), png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(ConfusionPlot.width(3));
    assertThat(img.getHeight()).isEqualTo(ConfusionPlot.height(3));
    // the largest count (true 0, predicted 0) and the full row share (true 2) are the darkest colour
    int c = ConfusionPlot.cell(3);
    int panel = ConfusionPlot.width(3) / 2;
    int x = ConfusionPlot.MARGIN_LEFT + 3;
    int y = ConfusionPlot.MARGIN_TOP + 3;
    assertThat(new Color(img.getRGB(x, y))).isEqualTo(ConfusionPlot.colour(1));
    assertThat(new Color(img.getRGB(panel + x + 2 * c, y + 2 * c))).isEqualTo(ConfusionPlot.colour(1));
    assertThat(new Color(img.getRGB(panel + x + 2 * c, y))).isEqualTo(Color.WHITE);
  }

  @Test
  void markerIsTheEpochEarlyStoppingKept() {
    History h = history(0.5, 0.4, 0.45, 0.46);
    EpochMarker restored = EpochMarker.of(h, new EarlyStopping("val_loss", 2, 0, true));
    assertThat(restored.epoch()).isEqualTo(2);
    assertThat(restored.label()).isEqualTo("restored epoch 2 (val_loss)");
    // min_delta: 0.49 is no improvement over 0.5, so the tracker keeps epoch 1 (a plain minimum would say 2)
    assertThat(EpochMarker.of(history(0.5, 0.49, 0.52), new EarlyStopping("val_loss", 1, 0.05, false)).epoch())
        .isEqualTo(1);
    assertThat(EpochMarker.of(h, null).label()).isEqualTo("lowest val_loss: epoch 2");
    assertThat(EpochMarker.of(history(Double.NaN, Double.NaN), null).metric()).isEqualTo("loss");
    assertThat(EpochMarker.of(new History(), null).epoch()).isEqualTo(-1);
  }

  @Test
  void trainingAndLrFindPngsDecode() throws IOException {
    Path training = dir.resolve("training.png");
    History h = history(0.5, 0.4, 0.45, 0.46);
    Plots.training(h, "run", "adam (lr 0.001), batch 32, 4 of 10 epochs, 1.0 s",
        EpochMarker.of(h, new EarlyStopping("val_loss", 2, 0, true)), training);
    BufferedImage img = ImageIO.read(training.toFile());
    // loss, accuracy and learning-rate panels under the header line
    assertThat(img.getWidth()).isEqualTo(3 * 560);
    assertThat(img.getHeight()).isEqualTo(440 + 56);

    Path lr = dir.resolve("lr-find.png");
    double[] rates = new double[50];
    double[] losses = new double[50];
    for (int i = 0; i < 50; i++) {
      rates[i] = Math.pow(10, -5 + i / 10.0);
      losses[i] = 2 - Math.tanh(Math.log10(rates[i]) + 3);
    }
    Plots.lrFind(rates, losses, losses, 1e-3, lr);
    assertThat(ImageIO.read(lr.toFile()).getWidth()).isEqualTo(800);
  }
}
