package io.sparkprop.cli.report;

import io.sparkprop.core.io.AtomicFiles;
import io.sparkprop.core.train.History;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.RenderingHints;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots, headless: the training curves (loss and, for classifiers, accuracy per epoch,
 * training and validation, and the learning rate) and the learning-rate finder's loss against
 * the rate (log scale), drawn with XChart; the confusion matrix ({@link ConfusionPlot}). Drawing needs the JDK's font support
 * (fontconfig and one font on Linux); callers treat a failure as a warning, not a failed run.
 */
public final class Plots {
  private static final int W = 640;
  private static final int H = 440;
  private static final int PANEL_W = 560;
  private static final int HEADER = 56;

  private Plots() {
  }

  /**
   * Loss, accuracy (when there is any) and learning rate per epoch, side by side under a header
   * line ({@code subtitle}: optimizer, batch size, epochs, time); {@code marker} draws a vertical
   * line at its epoch in every panel and a point on the curve of its metric.
   */
  public static void training(History h, String title, String subtitle, EpochMarker marker, Path png)
      throws IOException {
    double[] epochs = new double[h.epochs().size()];
    for (int i = 0; i < epochs.length; i++) {
      epochs[i] = h.epochs().get(i).epoch();
    }
    double[] acc = h.series("accuracy");
    List<XYChart> charts = new ArrayList<>();
    charts.add(curves("loss", "loss", epochs, h.series("loss"), h.series("val_loss"),
        Styler.LegendPosition.InsideNE));
    if (hasValues(acc)) {
      charts.add(curves("accuracy", "accuracy", epochs, acc, h.series("val_accuracy"),
          Styler.LegendPosition.InsideSE));
    }
    XYChart lr = new XYChartBuilder().width(PANEL_W).height(H).title("learning rate").xAxisTitle("epoch")
        .yAxisTitle("learning rate").build();
    style(lr);
    lr.getStyler().setLegendVisible(false);
    lr.getStyler().setYAxisDecimalPattern("0.0E0");
    double[] rates = h.series("lr");
    lr.getStyler().setYAxisLogarithmic(spread(rates) > 10);
    XYSeries rate = line(lr, "learning rate", epochs, rates);
    rate.setLineColor(new Color(44, 160, 44));
    rate.setMarkerColor(new Color(44, 160, 44));
    charts.add(lr);
    List<BufferedImage> parts = new ArrayList<>();
    for (XYChart c : charts) {
      if (marker.epoch() > 0) {
        mark(c, marker, epochs, h);
      }
      parts.add(image(c));
    }
    write(withHeader(title, subtitle, sideBySide(parts)), png);
  }

  /** The vertical marker line, and on the panel of the marker's metric a labelled point. */
  private static void mark(XYChart c, EpochMarker marker, double[] epochs, History h) {
    c.getStyler().setAnnotationLineColor(new Color(214, 39, 40));
    c.getStyler().setAnnotationLineStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {6f, 4f}, 0f));
    c.addAnnotation(new AnnotationLine(marker.epoch(), true, false));
    String panelMetric = c.getTitle().equals("loss") ? "loss" : c.getTitle().equals("accuracy") ? "accuracy" : "";
    if (!panelMetric.isEmpty() && marker.metric().endsWith(panelMetric)) {
      double y = h.epochs().get(indexOf(epochs, marker.epoch())).metric(marker.metric());
      XYSeries s = c.addSeries(marker.label(), new double[] {marker.epoch()}, new double[] {y});
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.DIAMOND);
      s.setMarkerColor(new Color(214, 39, 40));
    }
  }

  private static int indexOf(double[] epochs, int epoch) {
    for (int i = 0; i < epochs.length; i++) {
      if (epochs[i] == epoch) {
        return i;
      }
    }
    return epochs.length - 1;
  }

  /** max / min of the positive values; 1 when there are none. */
  private static double spread(double[] v) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (double d : v) {
      if (d > 0 && Double.isFinite(d)) {
        lo = Math.min(lo, d);
        hi = Math.max(hi, d);
      }
    }
    return hi > 0 ? hi / lo : 1;
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
    if (suggested > 0 && rates.length > 0) {
      c.getStyler().setAnnotationLineColor(new Color(214, 39, 40));
      c.getStyler().setAnnotationLineStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
          10f, new float[] {6f, 4f}, 0f));
      c.addAnnotation(new AnnotationLine(suggested, true, false));
      int i = nearest(rates, suggested);
      XYSeries s = c.addSeries(String.format(java.util.Locale.ROOT, "suggested %.2g", suggested),
          new double[] {rates[i]}, new double[] {smoothed[i]});
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.DIAMOND);
      s.setMarkerColor(new Color(214, 39, 40));
    }
    write(image(c), png);
  }

  /** The confusion matrix: counts and row-normalised shares ({@link ConfusionPlot}). */
  public static void confusion(ConfusionMatrix m, Path png) throws IOException {
    write(ConfusionPlot.draw(m), png);
  }

  private static XYChart curves(String title, String y, double[] x, double[] train, double[] val,
                                Styler.LegendPosition legend) {
    XYChart c = new XYChartBuilder().width(PANEL_W).height(H).title(title).xAxisTitle("epoch").yAxisTitle(y).build();
    style(c);
    c.getStyler().setLegendPosition(legend);
    // XChart's own pattern writes 0.05 as ".05"
    c.getStyler().setYAxisDecimalPattern("0.0###");
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

  /** {@code body} under a white strip with a bold title and a plain second line. */
  private static BufferedImage withHeader(String title, String subtitle, BufferedImage body) {
    BufferedImage out = new BufferedImage(body.getWidth(), body.getHeight() + HEADER, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, 16, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.drawString(subtitle, 16, 44);
    g.drawImage(body, 0, HEADER, null);
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
