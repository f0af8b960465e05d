package pulse.engine.metrics;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/** Names, escaping and numbers as the Prometheus text format 0.0.4 wants them. */
final class TextFormat {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private TextFormat() {}

  static String checkMetricName(String name) {
    if (name == null || !METRIC_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a valid metric name: " + name);
    }
    return name;
  }

  static List<String> checkLabelNames(String metric, String... labelNames) {
    for (String l : labelNames) {
      // Names starting with __ are reserved for Prometheus itself.
      if (l == null || !LABEL_NAME.matcher(l).matches() || l.startsWith("__")) {
        throw new IllegalArgumentException("not a valid label name for " + metric + ": " + l);
      }
    }
    List<String> names = List.of(labelNames);
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("duplicate label names for " + metric + ": " + names);
    }
    return names;
  }

  /** HELP text: only backslash and newline are escaped (quotes are not, unlike label values). */
  static void appendHelp(StringBuilder out, String help) {
    for (int i = 0; i < help.length(); i++) {
      char c = help.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  static void appendLabelValue(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  /** {@code a="x",b="y"} (no braces), rendered once per child so a scrape does not escape again. */
  static String renderLabels(List<String> names, String[] values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(names.get(i)).append("=\"");
      appendLabelValue(b, values[i]);
      b.append('"');
    }
    return b.toString();
  }

  /**
   * Integral values print without ".0"; the rest as Java prints them, which Prometheus parses (Go
   * ParseFloat).
   */
  static void appendValue(StringBuilder out, double v) {
    if (Double.isNaN(v)) {
      out.append("NaN");
    } else if (Double.isInfinite(v)) {
      out.append(v > 0 ? "+Inf" : "-Inf");
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      out.append((long) v);
    } else {
      out.append(v);
    }
  }

  /**
   * A bucket bound as the {@code le} label: plain decimal ("0.0005", "1", "10"), as the Go client
   * writes it, so queries like {@code le="0.0005"} match; Java's own "5.0E-4" would be a different
   * label value.
   */
  static String bound(double b) {
    return Double.isInfinite(b)
        ? "+Inf"
        : BigDecimal.valueOf(b).stripTrailingZeros().toPlainString();
  }
}
