package io.sparkprop.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws the confusion matrix as two heat maps side by side: the counts, and each row divided by
 * its sum (the recall of the true class on the diagonal). Drawn with Java2D rather than XChart
 * because XChart's heat map has one text colour for all cells and decimal colour-bar labels.
 *
 * <p>Colour: {@code t = log(1 + v) / log(1 + max)} (v the count, or the row share in percent
 * points with max 100), so a handful of errors next to a large diagonal still shows; a linear
 * scale would leave them near-white. Cell text is black or white, whichever contrasts more with
 * the cell (WCAG contrast ratio, at least 4.5 for any colour).
 */
final class ConfusionPlot {
  static final int MARGIN_LEFT = 80;
  static final int MARGIN_TOP = 80;
  static final int MARGIN_BOTTOM = 60;
  static final int BAR = 110;
  private static final Color[] STOPS = {Color.WHITE, new Color(158, 202, 225), new Color(49, 130, 189),
      new Color(8, 48, 107)};

  private ConfusionPlot() {
  }

  /** Pixel side of one cell for {@code k} classes. */
  static int cell(int k) {
    return Math.max(14, Math.min(120, 560 / k));
  }

  /** Width of the picture for {@code k} classes. */
  static int width(int k) {
    return 2 * (MARGIN_LEFT + k * cell(k) + BAR);
  }

  /** Height of the picture for {@code k} classes. */
  static int height(int k) {
    return MARGIN_TOP + k * cell(k) + MARGIN_BOTTOM;
  }

  /** Row shares: {@code count(t, p) / Σ_q count(t, q)}; a row without samples is all zero. */
  static double[][] rowNormalised(ConfusionMatrix m) {
    int k = m.classes();
    double[][] r = new double[k][k];
    for (int t = 0; t < k; t++) {
      long sum = 0;
      for (int p = 0; p < k; p++) {
        sum += m.count(t, p);
      }
      for (int p = 0; p < k; p++) {
        r[t][p] = sum == 0 ? 0 : (double) m.count(t, p) / sum;
      }
    }
    return r;
  }

  /** The position on the colour scale, in [0, 1], of {@code v} on a scale up to {@code max}. */
  static double scale(double v, double max) {
    return max <= 0 ? 0 : Math.min(1, Math.log1p(Math.max(0, v)) / Math.log1p(max));
  }

  /** The colour at position {@code t} in [0, 1]: white through light and mid blue to dark blue. */
  static Color colour(double t) {
    double x = Math.max(0, Math.min(1, t)) * (STOPS.length - 1);
    int i = Math.min(STOPS.length - 2, (int) x);
    double f = x - i;
    Color a = STOPS[i];
    Color b = STOPS[i + 1];
    return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
        (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
        (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
  }

  /** Black or white, whichever has the larger contrast ratio against {@code background}. */
  static Color textColour(Color background) {
    return contrast(Color.WHITE, background) > contrast(Color.BLACK, background) ? Color.WHITE : Color.BLACK;
  }

  /** WCAG contrast ratio {@code (L1 + 0.05) / (L2 + 0.05)}, the lighter colour's luminance on top. */
  static double contrast(Color a, Color b) {
    double la = luminance(a);
    double lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  /** WCAG relative luminance of an sRGB colour. */
  static double luminance(Color c) {
    return 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
  }

  private static double linear(int channel) {
    double s = channel / 255.0;
    return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  }

  /** Colour-bar ticks: 0 and 1, 2, 5 × powers of ten up to {@code max}, and {@code max} itself (integers). */
  static List<Long> ticks(long max) {
    List<Long> t = new ArrayList<>(List.of(0L));
    for (long p = 1; p <= max; p *= 10) {
      for (long f : new long[] {1, 2, 5}) {
        // keep labels apart on the log scale: drop a tick too close below max
        if (f * p <= max && scale(max, max) - scale(f * p, max) > 0.06) {
          t.add(f * p);
        }
      }
      if (p > Long.MAX_VALUE / 10) {
        break;
      }
    }
    if (max > 0) {
      t.add(max);
    }
    return t;
  }

  /** The picture. */
  static BufferedImage draw(ConfusionMatrix m) {
    int k = m.classes();
    BufferedImage img = new BufferedImage(width(k), height(k), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(String.format(Locale.ROOT, "Confusion matrix: %,d samples, accuracy %.4f", m.total(),
        m.accuracy()), MARGIN_LEFT, 26);
    long max = 0;
    String[][] counts = new String[k][k];
    double[][] countScale = new double[k][k];
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        max = Math.max(max, m.count(t, p));
      }
    }
    double[][] share = rowNormalised(m);
    String[][] shares = new String[k][k];
    double[][] shareScale = new double[k][k];
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        counts[t][p] = Long.toString(m.count(t, p));
        countScale[t][p] = scale(m.count(t, p), max);
        double pct = 100 * share[t][p];
        shares[t][p] = pct == 0 ? "0" : pct >= 9.95 ? String.format(Locale.ROOT, "%.0f%%", pct)
            : String.format(Locale.ROOT, "%.1f%%", pct);
        shareScale[t][p] = scale(pct, 100);
      }
    }
    int panel = MARGIN_LEFT + k * cell(k) + BAR;
    List<String> countTicks = new ArrayList<>();
    List<Double> countAt = new ArrayList<>();
    for (long v : ticks(max)) {
      countTicks.add(String.format(Locale.ROOT, "%,d", v));
      countAt.add(scale(v, max));
    }
    panel(g, 0, "counts", counts, countScale, countTicks, countAt);
    List<String> pctTicks = new ArrayList<>();
    List<Double> pctAt = new ArrayList<>();
    for (long v : ticks(100)) {
      pctTicks.add(v + "%");
      pctAt.add(scale(v, 100));
    }
    panel(g, panel, "share of each true class (row-normalised)", shares, shareScale, pctTicks, pctAt);
    g.dispose();
    return img;
  }

  private static void panel(Graphics2D g, int x0, String title, String[][] text, double[][] at, List<String> ticks,
                            List<Double> tickAt) {
    int k = text.length;
    int c = cell(k);
    int gx = x0 + MARGIN_LEFT;
    int gy = MARGIN_TOP;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    g.drawString(title, gx, gy - 12);
    Font cellFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, Math.min(18, c / 3)));
    Font axisFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, Math.min(13, c / 3)));
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        Color bg = colour(at[t][p]);
        g.setColor(bg);
        g.fillRect(gx + p * c, gy + t * c, c, c);
        g.setFont(cellFont);
        centred(g, text[t][p], gx + p * c + c / 2, gy + t * c + c / 2, textColour(bg), c - 2);
      }
    }
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(gx, gy, k * c, k * c);
    int step = Math.max(1, (int) Math.ceil(14.0 / c));
    g.setFont(axisFont);
    for (int i = 0; i < k; i += step) {
      centred(g, Integer.toString(i), gx - 12, gy + i * c + c / 2, Color.BLACK, 40);
      centred(g, Integer.toString(i), gx + i * c + c / 2, gy + k * c + 12, Color.BLACK, 40);
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    centred(g, "predicted class", gx + k * c / 2, gy + k * c + 38, Color.BLACK, 400);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2, x0 + 30, gy + k * c / 2.0);
    centred(g, "true class", x0 + 30, gy + k * c / 2, Color.BLACK, 400);
    g.setTransform(saved);
    // colour bar: position 0 at the bottom, 1 at the top
    int bx = gx + k * c + 16;
    int bh = k * c;
    for (int y = 0; y < bh; y++) {
      g.setColor(colour(1 - (double) y / (bh - 1)));
      g.fillRect(bx, gy + y, 16, 1);
    }
    g.setColor(Color.GRAY);
    g.drawRect(bx, gy, 16, bh);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    int top = gy + (int) Math.round((1 - tickAt.get(ticks.size() - 1)) * (bh - 1));
    int previous = Integer.MAX_VALUE;
    for (int i = 0; i < ticks.size(); i++) {
      int y = gy + (int) Math.round((1 - tickAt.get(i)) * (bh - 1));
      boolean last = i == ticks.size() - 1;
      // on a short bar, labels closer than a line's height to their neighbours are left out
      if (!last && (previous - y < 14 || y - top < 14)) {
        continue;
      }
      previous = y;
      g.setColor(Color.BLACK);
      g.drawLine(bx + 16, y, bx + 20, y);
      g.drawString(ticks.get(i), bx + 23, y + 4);
    }
  }

  /** Draws {@code s} centred on (x, y), shrinking the font until it fits {@code maxWidth}. */
  private static void centred(Graphics2D g, String s, int x, int y, Color colour, int maxWidth) {
    Font f = g.getFont();
    FontMetrics fm = g.getFontMetrics(f);
    while (fm.stringWidth(s) > maxWidth && f.getSize() > 7) {
      f = f.deriveFont(f.getSize2D() - 1);
      fm = g.getFontMetrics(f);
    }
    Font before = g.getFont();
    g.setFont(f);
    g.setColor(colour);
    g.drawString(s, x - fm.stringWidth(s) / 2, y + (fm.getAscent() - fm.getDescent()) / 2);
    g.setFont(before);
  }
}
