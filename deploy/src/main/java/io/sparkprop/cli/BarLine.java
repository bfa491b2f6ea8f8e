package io.sparkprop.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * Renders the progress bar's line within the terminal's width. The library's own renderer gives
 * the bar whatever room is left and then cuts the line at the terminal's edge, which in 80
 * columns leaves a one-cell bar and cut-off metrics. Here the parts give way in order instead:
 * the time, the word "epoch", most of the bar, then the bar; the numbers (step, metrics) are
 * never cut.
 */
final class BarLine implements ProgressBarRenderer {
  /** Width used when the terminal's is unknown. */
  static final int DEFAULT_WIDTH = 80;
  private static final int MAX_BAR = 30;
  private static final char[] EIGHTHS = {' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'};

  @Override
  public String render(ProgressState s, int maxLength) {
    return line(s.getTaskName(), s.getCurrent(), s.getMax(), s.getTotalElapsed(), s.getExtraMessage(), maxLength);
  }

  /**
   * {@code "epoch 2/10  40% │████▌     │ 4/10 0:03<0:05 loss 0.1234 acc 0.9612"}, fitted into
   * {@code width} columns (at most 80 when {@code width <= 0}).
   */
  static String line(String task, long current, long max, Duration elapsed, String metrics, int width) {
    int w = width > 0 ? width : DEFAULT_WIDTH;
    double done = max > 0 ? Math.min(1.0, (double) current / max) : 0;
    String pct = String.format(Locale.ROOT, "%3d%%", (int) Math.floor(100 * done));
    String ratio = current + "/" + max;
    long ms = elapsed.toMillis();
    String time = current > 0 ? clock(ms) + "<" + clock(ms * (max - current) / current) : clock(ms);
    String m = metrics == null ? "" : metrics.trim();
    String shortTask = task.replaceFirst("^epoch ", "");
    // Each attempt drops more; the first that fits wins, the last is taken whatever its length.
    Object[][] attempts = {
        {task, 10, time}, {task, 10, null}, {shortTask, 10, null}, {shortTask, 3, null}, {shortTask, 0, null}};
    String last = null;
    for (Object[] a : attempts) {
      String name = (String) a[0];
      int minBar = (Integer) a[1];
      String t = (String) a[2];
      List<String> rest = new ArrayList<>(List.of(ratio));
      if (t != null) {
        rest.add(t);
      }
      if (!m.isEmpty()) {
        rest.add(m);
      }
      String tail = String.join(" ", rest);
      if (minBar == 0) {
        last = name + " " + tail;
      } else {
        int fixed = name.length() + 1 + pct.length() + 1 + 2 + 1 + tail.length();
        int bar = Math.min(MAX_BAR, w - fixed);
        if (bar < minBar) {
          continue;
        }
        last = name + " " + pct + " │" + bar(done, bar) + "│ " + tail;
      }
      if (last.length() <= w) {
        return last;
      }
    }
    return last;
  }

  /** {@code cells} characters of full blocks, one partial block and blanks. */
  static String bar(double done, int cells) {
    int eighths = (int) Math.floor(done * cells * 8);
    StringBuilder b = new StringBuilder(cells);
    for (int i = 0; i < cells; i++) {
      int left = eighths - 8 * i;
      b.append(left >= 8 ? '█' : left > 0 ? EIGHTHS[left] : ' ');
    }
    return b.toString();
  }

  /** m:ss, or h:mm:ss from an hour. */
  static String clock(long millis) {
    long s = Math.max(0, millis) / 1000;
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
