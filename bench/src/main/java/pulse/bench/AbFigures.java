package pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the figures of an experiment as the cluster reports them ({@code GET
 * /v1/experiments/{name}}) into what the A/B bench prints: a table row per variant, and per
 * treatment and metric the difference to the control with its 95% interval (the experiment's own
 * Newcombe interval for CTR, Welch's for the NDCG mean), as the bench's JSON line carries them.
 */
final class AbFigures {
  /** The metrics compared, as {@code metric} names them, and their keys in the figures. */
  static final List<String[]> METRICS =
      List.of(new String[] {"ctr@10", "ctrVsControl"}, new String[] {"ndcg@10", "ndcg10VsControl"});

  /** One treatment against the control on one metric. */
  record Comparison(
      String experiment,
      String control,
      String treatment,
      String metric,
      double diff,
      double low,
      double high) {
    String json() {
      return String.format(
          Locale.ROOT,
          "{\"name\":\"%s\",\"control\":\"%s\",\"treatment\":\"%s\",\"metric\":\"%s\","
              + "\"diff\":%s,\"low\":%s,\"high\":%s}",
          experiment,
          control,
          treatment,
          metric,
          BenchJson.num(diff, 6),
          BenchJson.num(low, 6),
          BenchJson.num(high, 6));
    }
  }

  private AbFigures() {}

  /** Every treatment against the control, CTR first. */
  static List<Comparison> comparisons(JsonNode experiment) {
    String control = experiment.path("control").asText();
    List<Comparison> out = new ArrayList<>();
    for (String[] m : METRICS) {
      for (JsonNode v : experiment.path("figures")) {
        String variant = v.path("variant").asText();
        if (variant.equals(control)) {
          continue;
        }
        JsonNode d = v.path(m[1]);
        out.add(
            new Comparison(
                experiment.path("name").asText(),
                control,
                variant,
                m[0],
                number(d.path("estimate")),
                number(d.path("low")),
                number(d.path("high"))));
      }
    }
    return out;
  }

  /** The table of an experiment: one line per variant, then one per comparison. */
  static List<String> table(JsonNode experiment) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "  %-10s %7s %7s %-26s %-26s %8s %9s",
            "variant",
            "lists",
            "clicks",
            "CTR@10 [95%]",
            "NDCG@10 [95%]",
            "p99 ms",
            "fallback"));
    for (JsonNode v : experiment.path("figures")) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  %-10s %,7d %,7d %-26s %-26s %8.0f %8.1f%%",
              v.path("variant").asText(),
              v.path("lists").asLong(),
              v.path("clicks").asLong(),
              interval(v.path("ctr")),
              interval(v.path("ndcg10")),
              v.path("p99Ms").asDouble(Double.NaN),
              100 * v.path("fallbackShare").asDouble(Double.NaN)));
    }
    for (Comparison c : comparisons(experiment)) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  %s - %s, %s: %+.4f [%+.4f, %+.4f]%s",
              c.treatment(),
              c.control(),
              c.metric(),
              c.diff(),
              c.low(),
              c.high(),
              c.low() > 0
                  ? "  (better: the interval excludes 0)"
                  : c.high() < 0 ? "  (worse)" : ""));
    }
    return lines;
  }

  private static String interval(JsonNode i) {
    return String.format(
        Locale.ROOT,
        "%.4f [%.4f, %.4f]",
        number(i.path("estimate")),
        number(i.path("low")),
        number(i.path("high")));
  }

  private static double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
