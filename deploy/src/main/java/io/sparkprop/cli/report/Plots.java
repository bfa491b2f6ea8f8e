package io.sparkprop.cli.report;

import io.sparkprop.core.io.AtomicFiles;
import io.sparkprop.core.train.History;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots drawn with XChart, headless: the training curves (loss and, for classifiers,
 * accuracy per epoch, training and validation), the learning-rate finder's loss against the
 * rate (log scale) and the confusion matrix as a heat map. Drawing needs the JDK's font support
 * (fontconfig and one font on Linux); callers treat a failure as a warning, not a failed run.
 */
public final class Plots {
  private static final int W = 640;
  private static final int H = 440;

  private Plots() {
  }

  /** Loss (and accuracy when there is any) per epoch, training and validation, side by side. */
  public static void training(History h, String title, Path png) throws IOException {
    double[] epochs = new double[h.epochs().size()];
    for (int i = 0; i < epochs.length; i++) {
      epochs[i] = h.epochs().get(i).epoch();
    }
    List<BufferedImage> parts = new ArrayList<>();
    parts.add(image(curves(title + ": loss", "loss", epochs, h.series("loss"), h.series("val_loss"),
        Styler.LegendPosition.InsideNE)));
    double[] acc = h.series("accuracy");
    if (hasValues(acc)) {
      parts.add(image(curves(title + ": accuracy", "accuracy", epochs, acc, h.series("val_accuracy"),
          Styler.LegendPosition.InsideSE)));
    }
    write(sideBySide(parts), png);
  }

  /** The learning-rate finder's raw and smoothed loss against the rate, with the suggestion marked. */
  public static void lrFind(double[] rates, double[] losses, double[] smoothed, double suggested, Path png)
      throws IOException {
    XYChart c = new XYChartBuilder().width(W + 160).height(H + 60).title("Learning-rate range test")
        .xAxisTitle("learning rate (log scale)").yAxisTitle("training loss").build();
    style(c);
    c.getStyler().setXAxisLogarithmic(true);
    c.getStyler().setXAxisDecimalPattern("0.0E0");
    XYSeries raw = line(c, "loss", rates, losses);
    raw.setLineColor(new Color(170, 170, 170));
    raw.setMarker(SeriesMarkers.NONE);
    XYSeries smooth = line(c, "smoothed", rates, smoothed);
    smooth.setLineColor(new Color(31, 119, 180));
    smooth.setMarker(SeriesMarkers.NONE);
    // The interesting part lies between the minimum and the starting loss; a diverging tail would
    // flatten it, so the y axis stops a little above the highest smoothed loss before the minimum.
    int min = 0;
    for (int i = 1; i < smoothed.length; i++) {
      min = smoothed[i] < smoothed[min] ? i : min;
    }
    double top = Double.NEGATIVE_INFINITY;
    for (int i = 0; i <= min && i < smoothed.length; i++) {
      top = Math.max(top, smoothed[i]);
    }
    double bottom = Double.POSITIVE_INFINITY;
    for (int i = 0; i <= min && i < losses.length; i++) {
      bottom = Math.min(bottom, losses[i]);
    }
    if (smoothed.length > 0 && Double.isFinite(top) && Double.isFinite(bottom)) {
      double span = Math.max(top - bottom, 1e-3 * Math.abs(top));
      c.getStyler().setYAxisMax(top + 0.25 * span);
      c.getStyler().setYAxisMin(Math.max(0, bottom - 0.1 * span));
    }
    if (suggested > 0) {
      int i = nearest(rates, suggested);
      XYSeries s = c.addSeries(String.format(java.util.Locale.ROOT, "suggested %.2g", suggested),
          new double[] {rates[i]}, new double[] {smoothed[i]});
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.DIAMOND);
      s.setMarkerColor(new Color(214, 39, 40));
    }
    write(image(c), png);
  }

  /** The confusion matrix as a heat map with the counts written in the cells. */
  public static void confusion(ConfusionMatrix m, Path png) throws IOException {
    int k = m.classes();
    int side = Math.max(520, 60 * k + 160);
    HeatMapChart c = new HeatMapChartBuilder().width(side + 120).height(side)
        .title(String.format(java.util.Locale.ROOT, "Confusion matrix (accuracy %.4f)", m.accuracy()))
        .xAxisTitle("predicted class").yAxisTitle("true class").build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setShowValue(true);
    c.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(107, 174, 214), new Color(8, 48, 107)});
    List<Integer> classes = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      classes.add(i);
    }
    List<Number[]> cells = new ArrayList<>();
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        // y runs upwards in XChart: draw true class 0 at the top, as in the text table.
        cells.add(new Number[] {p, k - 1 - t, m.count(t, p)});
      }
    }
    List<Integer> yLabels = new ArrayList<>();
    for (int i = k - 1; i >= 0; i--) {
      yLabels.add(i);
    }
    c.addSeries("count", classes, yLabels, cells);
    write(BitmapEncoder.getBufferedImage(c), png);
  }

  private static XYChart curves(String title, String y, double[] x, double[] train, double[] val,
                                Styler.LegendPosition legend) {
    XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("epoch").yAxisTitle(y).build();
    style(c);
    c.getStyler().setLegendPosition(legend);
    XYSeries t = line(c, "training", x, train);
    t.setLineColor(new Color(31, 119, 180));
    t.setMarkerColor(new Color(31, 119, 180));
    if (hasValues(val)) {
      XYSeries v = line(c, "validation", x, val);
      v.setLineColor(new Color(255, 127, 14));
      v.setMarkerColor(new Color(255, 127, 14));
    }
    return c;
  }

  private static void style(XYChart c) {
    XYStyler s = c.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setLegendPosition(Styler.LegendPosition.InsideNE);
    s.setPlotGridLinesVisible(true);
    s.setMarkerSize(5);
  }

  /** A line through the finite points of (x, y). */
  private static XYSeries line(XYChart c, String name, double[] x, double[] y) {
    int n = 0;
    for (int i = 0; i < y.length; i++) {
      n += Double.isFinite(y[i]) && Double.isFinite(x[i]) ? 1 : 0;
    }
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0, j = 0; i < y.length; i++) {
      if (Double.isFinite(y[i]) && Double.isFinite(x[i])) {
        xs[j] = x[i];
        ys[j++] = y[i];
      }
    }
    XYSeries s = c.addSeries(name, xs, ys);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    if (n > 40) {
      s.setMarker(SeriesMarkers.NONE);
    }
    return s;
  }

  private static boolean hasValues(double[] v) {
    for (double d : v) {
      if (Double.isFinite(d)) {
        return true;
      }
    }
    return false;
  }

  private static int nearest(double[] v, double target) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (Math.abs(Math.log(v[i] / target)) < Math.abs(Math.log(v[best] / target))) {
        best = i;
      }
    }
    return best;
  }

  private static BufferedImage image(XYChart c) {
    return BitmapEncoder.getBufferedImage(c);
  }

  private static BufferedImage sideBySide(List<BufferedImage> parts) {
    int w = 0;
    int h = 0;
    for (BufferedImage p : parts) {
      w += p.getWidth();
      h = Math.max(h, p.getHeight());
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    int x = 0;
    for (BufferedImage p : parts) {
      g.drawImage(p, x, 0, null);
      x += p.getWidth();
    }
    g.dispose();
    return out;
  }

  private static void write(BufferedImage img, Path png) throws IOException {
    AtomicFiles.write(out -> {
      if (!ImageIO.write(img, "png", out)) {
        throw new IOException("no PNG writer in this JDK");
      }
    }, png);
  }
}
