package pulse.bench;

import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page (inline SVG, no scripts, no network) with one latency histogram per
 * series on log-spaced buckets, and p50/p99 marked: what a person wants to look at after a bench
 * run. Buckets and percentiles come from each series' HdrHistogram.
 */
public final class LatencyHistogramHtml {
  private LatencyHistogramHtml() {}

  public record Series(String name, Latencies latencies) {}

  private static final int BUCKETS = 25;
  private static final double PER_DECADE = 4;

  /** Bucket upper bounds in ms: 0.1 ms to ~100 s, four per decade. */
  static double[] bounds() {
    double[] b = new double[BUCKETS];
    for (int i = 0; i < b.length; i++) {
      b[i] = 0.1 * Math.pow(10, i / PER_DECADE);
    }
    return b;
  }

  /**
   * Counts per bucket of {@link #bounds()} (values below each bound and at or above the one
   * before), from the HdrHistogram's logarithmic buckets.
   */
  static long[] histogram(Latencies latencies) {
    return latencies.logBuckets(0.1, Math.pow(10, 1 / PER_DECADE), BUCKETS);
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
      long[] counts = histogram(s.latencies());
      long max = 1;
      for (long c : counts) {
        max = Math.max(max, c);
      }
      double p50 = s.latencies().millis(0.5);
      double p99 = s.latencies().millis(0.99);
      html.append(
          String.format(
              Locale.ROOT,
              "<h2>%s: %,d events, p50 %.1f ms, p99 %.1f ms</h2>",
              escape(s.name()),
              s.latencies().count(),
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
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a7bd0\"><title>&lt; %.2f ms: %d</title></rect>",
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
