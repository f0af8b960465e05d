package pulse.bench;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The online bench's picture: prequential NDCG@10 (top) and HR@10 (bottom) over replay progress,
 * one colour per pass, the rolling window solid and the running mean since the start dashed. Two
 * XChart line charts stacked into one PNG (headless AWT underneath).
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

  /** The two panels, NDCG@10 over HR@10, sharing the x axis's meaning. */
  static List<XYChart> charts(String title, List<Series> series) {
    XYChart ndcg = panel(title, "NDCG@10", series, true);
    XYChart hr = panel(null, "HR@10", series, false);
    hr.setXAxisTitle("replay progress (% of the pass's scored examples)");
    return List.of(ndcg, hr);
  }

  static void write(Path png, String title, List<Series> series) throws IOException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(png)) {
      BitmapEncoder.saveBitmap(charts(title, series), 2, 1, out, BitmapFormat.PNG);
    }
  }

  /** {@code title} null: none (the lower panel). */
  private static XYChart panel(String title, String metric, List<Series> series, boolean ndcg) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT / 2)
            .title(title == null ? "" : title)
            .yAxisTitle(metric)
            .build();
    XYStyler style = chart.getStyler();
    style.setChartTitleVisible(title != null);
    style.setChartBackgroundColor(Color.WHITE);
    style.setLegendPosition(LegendPosition.InsideSE);
    style.setXAxisMin(0.0);
    style.setXAxisMax(100.0);
    style.setYAxisMin(0.0);
    style.setXAxisDecimalPattern("0'%'");
    style.setYAxisDecimalPattern("0.000");
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      if (s.x().length == 0) {
        continue; // nothing scored yet: XChart refuses empty series
      }
      Color color = COLORS[i % COLORS.length];
      line(chart, s.name() + ": window", s.x(), ndcg ? s.windowNdcg() : s.windowHr(), color)
          .setLineStyle(SeriesLines.SOLID);
      line(chart, s.name() + ": running mean", s.x(), ndcg ? s.cumNdcg() : s.cumHr(), color)
          .setLineStyle(SeriesLines.DASH_DASH);
    }
    return chart;
  }

  private static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color) {
    XYSeries line = chart.addSeries(name, x, y);
    line.setMarker(SeriesMarkers.NONE);
    line.setLineColor(color);
    return line;
  }
}
