package pulse.bench;

import java.util.List;
import java.util.Locale;

/**
 * The chaos bench's timeline: one chart per scenario, requests per second by outcome (stacked),
 * with the fault and the recovery marked. Self-contained HTML with inline SVG.
 */
final class ChaosTimelineHtml {
  private ChaosTimelineHtml() {}

  private static final String[] NAMES = {
    "read, model", "read, fallback", "read failed (non-200)", "write 202", "write not 202"
  };
  private static final String[] COLORS = {"#2e7d32", "#f9a825", "#c62828", "#90caf9", "#ef6c00"};

  static int outcome(ChaosLoad.Attempt a) {
    if (a.write()) {
      return a.status() == 202 ? 3 : 4;
    }
    if (a.status() != 200) {
      return 2;
    }
    return a.fallback() ? 1 : 0;
  }

  static String page(List<ChaosBench.Scenario> scenarios) {
    StringBuilder h =
        new StringBuilder(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Pulse chaos bench</title>"
                + "<style>body{font-family:sans-serif;margin:20px}h2{font-size:16px}</style></head><body>"
                + "<h1>Pulse chaos bench: requests per second by outcome</h1><p>");
    for (int i = 0; i < NAMES.length; i++) {
      h.append("<span style=\"color:")
          .append(COLORS[i])
          .append("\">&#9632;</span> ")
          .append(NAMES[i])
          .append("&nbsp;&nbsp; ");
    }
    h.append("&nbsp; red line: fault; green line: recovered</p>");
    for (ChaosBench.Scenario s : scenarios) {
      h.append("<h2>").append(s.name).append("</h2>").append(chart(s));
    }
    return h.append("</body></html>").toString();
  }

  private static String chart(ChaosBench.Scenario s) {
    int seconds = (int) Math.max(1, (s.endMs - s.startMs) / 1000 + 1);
    int[][] counts = new int[seconds][NAMES.length];
    int max = 1;
    for (ChaosLoad.Attempt a : s.load.attempts) {
      int sec = (int) ((a.atMs() - s.startMs) / 1000);
      if (sec >= 0 && sec < seconds) {
        counts[sec][outcome(a)]++;
      }
    }
    for (int[] c : counts) {
      int sum = 0;
      for (int v : c) {
        sum += v;
      }
      max = Math.max(max, sum);
    }
    int w = 900;
    int hgt = 220;
    double bar = (double) w / seconds;
    StringBuilder svg =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" style=\"border:1px solid #ccc\">",
                w,
                hgt + 20));
    for (int sec = 0; sec < seconds; sec++) {
      double y = hgt;
      for (int o = 0; o < NAMES.length; o++) {
        double len = hgt * (double) counts[sec][o] / max;
        if (len > 0) {
          y -= len;
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                  sec * bar,
                  y,
                  Math.max(1, bar - 0.5),
                  len,
                  COLORS[o]));
        }
      }
    }
    line(svg, (s.faultMs - s.startMs) / 1000.0 * bar, hgt, "#c62828");
    line(svg, (s.recoveredMs - s.startMs) / 1000.0 * bar, hgt, "#2e7d32");
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"4\" y=\"%d\" font-size=\"11\">0 s</text><text x=\"%d\" y=\"%d\""
                + " font-size=\"11\" text-anchor=\"end\">%d s; top = %d requests/s</text></svg>",
            hgt + 15,
            w - 4,
            hgt + 15,
            seconds,
            max));
    return svg.toString();
  }

  private static void line(StringBuilder svg, double x, int h, String color) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>",
            x,
            x,
            h,
            color));
  }
}
