package pulse.bench;

import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page (inline SVG, no scripts, no network) with one latency histogram per
 * series on log-spaced buckets, and p50/p99 marked: what a person wants to look at after a bench
 * run.
 */
public final class LatencyHistogramHtml {
  private LatencyHistogramHtml() {}

  public record Series(String name, double[] sortedLatenciesMs) {}

  /** Bucket upper bounds in ms: 0.1 ms to ~100 s, four per decade. */
  static double[] bounds() {
    double[] b = new double[25];
    for (int i = 0; i < b.length; i++) {
      b[i] = 0.1 * Math.pow(10, i / 4.0);
    }
    return b;
  }

  /**
   * Counts per bucket: value v goes to the first bound >= v (the last bucket takes everything
   * above).
   */
  static int[] histogram(double[] values, double[] bounds) {
    int[] counts = new int[bounds.length];
    for (double v : values) {
      int i = 0;
      while (i < bounds.length - 1 && v > bounds[i]) {
        i++;
      }
      counts[i]++;
    }
    return counts;
  }

  public static String render(String title, List<Series> series) {
    double[] bounds = bounds();
    StringBuilder html =
        new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
            .append(escape(title))
            .append(
                "</title><style>body{font-family:sans-serif;margin:2em}"
                    + "text{font-size:11px}</style></head><body><h1>")
            .append(escape(title))
            .append("</h1>");
    int width = 760;
    int height = 220;
    for (Series s : series) {
      int[] counts = histogram(s.sortedLatenciesMs(), bounds);
      int max = 1;
      for (int c : counts) {
        max = Math.max(max, c);
      }
      double p50 = Percentiles.of(s.sortedLatenciesMs(), 0.5);
      double p99 = Percentiles.of(s.sortedLatenciesMs(), 0.99);
      html.append(
          String.format(
              Locale.ROOT,
              "<h2>%s: %,d events, p50 %.1f ms, p99 %.1f ms</h2>",
              escape(s.name()),
              s.sortedLatenciesMs().length,
              p50,
              p99));
      html.append("<svg width=\"")
          .append(width)
          .append("\" height=\"")
          .append(height + 40)
          .append("\">");
      double bar = (double) width / bounds.length;
      for (int i = 0; i < bounds.length; i++) {
        double h = (double) counts[i] / max * height;
        html.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a7bd0\"><title>&lt;= %.2f ms: %d</title></rect>",
                i * bar + 1,
                height - h,
                bar - 2,
                h,
                bounds[i],
                counts[i]));
        if (i % 4 == 0) {
          html.append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"%.1f\" y=\"%d\">%s ms</text>",
                  i * bar,
                  height + 15,
                  bounds[i] < 1
                      ? String.format(Locale.ROOT, "%.1f", bounds[i])
                      : String.format(Locale.ROOT, "%.0f", bounds[i])));
        }
      }
      html.append("</svg>");
    }
    return html.append(
            "<p>Buckets are log-spaced, four per decade; hover a bar for its count.</p></body></html>")
        .toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
