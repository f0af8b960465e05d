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
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The A/B bench's picture: one line chart per panel (e.g. a metric over time, one line per arm),
 * stacked into one PNG so a run's report is a single file. Plain XChart under headless AWT, styled
 * like {@link OnlinePlot}.
 */
final class AbPlot {
  static final int WIDTH = 900;
  static final int PANEL_HEIGHT = 320;
  private static final Color[] COLORS = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b)
  };

  static {
    // No display needed: set before the first AWT class initialises (a bench runs on servers).
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private AbPlot() {}

  /** One line: y over x, same lengths. */
  record Series(String name, double[] x, double[] y) {}

  /** One chart; it keeps its title even with no (or only empty) series. */
  record Panel(String title, String xLabel, String yLabel, List<Series> series) {}

  static void write(Path png, List<Panel> panels) throws IOException {
    if (panels.isEmpty()) {
      throw new IllegalArgumentException("no panel to draw");
    }
    List<XYChart> charts = new ArrayList<>();
    for (Panel p : panels) {
      charts.add(chart(p));
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(png)) {
      BitmapEncoder.saveBitmap(charts, charts.size(), 1, out, BitmapFormat.PNG);
    }
  }

  private static XYChart chart(Panel panel) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(PANEL_HEIGHT)
            .title(panel.title())
            .xAxisTitle(panel.xLabel())
            .yAxisTitle(panel.yLabel())
            .build();
    XYStyler style = chart.getStyler();
    style.setChartBackgroundColor(Color.WHITE);
    style.setLegendPosition(LegendPosition.InsideNE);
    style.setYAxisDecimalPattern("0.###"); // XChart's default drops the leading zero (".08")
    for (int i = 0; i < panel.series().size(); i++) {
      Series s = panel.series().get(i);
      if (s.x().length == 0) {
        continue; // XChart refuses empty series
      }
      XYSeries line = chart.addSeries(s.name(), s.x(), s.y());
      line.setMarker(SeriesMarkers.NONE);
      line.setLineColor(COLORS[i % COLORS.length]); // by position: an arm keeps its colour
    }
    return chart;
  }
}
