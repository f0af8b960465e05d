package pulse.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The online bench's picture: prequential NDCG@10 (top) and HR@10 (bottom) over replay progress,
 * one colour per pass, the rolling window solid and the running mean since the start dashed. Plain
 * Java2D into a PNG (headless).
 */
final class OnlinePlot {
  static final int WIDTH = 1000;
  static final int HEIGHT = 760;
  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)
  };

  static {
    // No display needed: set before the first AWT class initialises (a bench runs on servers).
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private OnlinePlot() {}

  /**
   * One pass: x = progress in percent of the pass's scored examples; per point the rolling window's
   * and the running mean's NDCG@10 and HR@10.
   */
  record Series(
      String name,
      double[] x,
      double[] windowNdcg,
      double[] windowHr,
      double[] cumNdcg,
      double[] cumHr) {}

  static Series series(String name, List<OnlineBench.Sample> samples) {
    long total = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).scored();
    List<double[]> points = new ArrayList<>();
    for (OnlineBench.Sample s : samples) {
      if (s.scored() > 0 && total > 0) {
        points.add(
            new double[] {
              100.0 * s.scored() / total,
              s.windowNdcg10(),
              s.windowHr10(),
              s.cumNdcg10(),
              s.cumHr10()
            });
      }
    }
    double[][] cols = new double[5][points.size()];
    for (int i = 0; i < points.size(); i++) {
      for (int c = 0; c < 5; c++) {
        cols[c][i] = points.get(i)[c];
      }
    }
    return new Series(name, cols[0], cols[1], cols[2], cols[3], cols[4]);
  }

  static BufferedImage render(String title, List<Series> series) {
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString(title, 20, 28);
      int left = 80;
      int right = WIDTH - 30;
      int panel = (HEIGHT - 150) / 2;
      panel(g, "NDCG@10", series, true, left, 60, right, 60 + panel);
      panel(g, "HR@10", series, false, left, 100 + panel, right, 100 + 2 * panel);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      g.setColor(Color.BLACK);
      g.drawString(
          "replay progress (% of the pass's scored examples)",
          (left + right) / 2 - 150, HEIGHT - 12);
      // Legend
      int lx = right - 330;
      int ly = 48;
      for (int i = 0; i < series.size(); i++) {
        g.setColor(COLORS[i % COLORS.length]);
        g.setStroke(new BasicStroke(2.2f));
        g.drawLine(lx, ly + i * 18, lx + 26, ly + i * 18);
        g.setStroke(dashed());
        g.drawLine(lx + 160, ly + i * 18, lx + 186, ly + i * 18);
        g.setColor(Color.BLACK);
        g.drawString(series.get(i).name() + ": window", lx + 32, ly + 5 + i * 18);
        g.drawString("running mean", lx + 192, ly + 5 + i * 18);
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  static void write(Path png, String title, List<Series> series) throws IOException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    if (!ImageIO.write(render(title, series), "png", png.toFile())) {
      throw new IOException("no PNG writer in this JVM");
    }
  }

  private static Stroke dashed() {
    return new BasicStroke(
        1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {7f, 5f}, 0f);
  }

  private static void panel(
      Graphics2D g,
      String label,
      List<Series> series,
      boolean ndcg,
      int x0,
      int y0,
      int x1,
      int y1) {
    double max = 0;
    for (Series s : series) {
      for (double v : ndcg ? s.windowNdcg() : s.windowHr()) {
        max = Math.max(max, v);
      }
      for (double v : ndcg ? s.cumNdcg() : s.cumHr()) {
        max = Math.max(max, v);
      }
    }
    double top = niceCeiling(max);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int t = 0; t <= 5; t++) {
      double v = top * t / 5;
      int y = (int) Math.round(y1 - (y1 - y0) * v / top);
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(x0, y, x1, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "%.3f", v), x0 - 48, y + 4);
    }
    for (int t = 0; t <= 10; t++) {
      int x = x0 + (x1 - x0) * t / 10;
      g.setColor(new Color(0xf0f0f0));
      g.drawLine(x, y0, x, y1);
      g.setColor(Color.DARK_GRAY);
      g.drawString((t * 10) + "%", x - 12, y1 + 16);
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(x0, y0, x1 - x0, y1 - y0);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString(label, x0 + 8, y0 + 18);
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      g.setColor(COLORS[i % COLORS.length]);
      g.setStroke(new BasicStroke(2.2f));
      line(g, s.x(), ndcg ? s.windowNdcg() : s.windowHr(), top, x0, y0, x1, y1);
      g.setStroke(dashed());
      line(g, s.x(), ndcg ? s.cumNdcg() : s.cumHr(), top, x0, y0, x1, y1);
    }
  }

  private static void line(
      Graphics2D g, double[] xs, double[] ys, double top, int x0, int y0, int x1, int y1) {
    if (xs.length == 0) {
      return;
    }
    Path2D.Double path = new Path2D.Double();
    for (int i = 0; i < xs.length; i++) {
      double x = x0 + (x1 - x0) * Math.min(100, Math.max(0, xs[i])) / 100;
      double y = y1 - (y1 - y0) * Math.min(top, Math.max(0, ys[i])) / top;
      if (i == 0) {
        path.moveTo(x, y);
      } else {
        path.lineTo(x, y);
      }
    }
    g.draw(path);
  }

  /** The next of 1, 2, 2.5, 5 x 10^k at or above v (0.1 for nothing to show). */
  static double niceCeiling(double v) {
    if (!(v > 0)) {
      return 0.1;
    }
    double scale = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * scale >= v * 1.0000001) {
        return m * scale;
      }
    }
    return 10 * scale;
  }
}
