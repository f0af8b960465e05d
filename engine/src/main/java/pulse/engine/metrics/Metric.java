package pulse.engine.metrics;

import java.util.List;

/**
 * What the registry needs of every metric: its identity, its shape (to judge re-registration) and
 * its samples.
 */
abstract sealed class Metric permits Counter, Gauge, Histogram, CallbackGauge {
  final String name;
  final String help;
  final List<String> labelNames;

  Metric(String name, String help, List<String> labelNames) {
    this.name = TextFormat.checkMetricName(name);
    this.help = help == null ? "" : help;
    this.labelNames = labelNames;
  }

  /** The Prometheus TYPE: counter, gauge or histogram. */
  abstract String type();

  /** Whether a second registration under this name describes the same metric (help text aside). */
  boolean sameShape(Metric other) {
    return getClass() == other.getClass() && labelNames.equals(other.labelNames);
  }

  String describe() {
    return type() + " with labels " + labelNames;
  }

  abstract void writeSamples(StringBuilder out);

  public String name() {
    return name;
  }

  /** Appends {@code name{labels} value} where labels may be empty. */
  static StringBuilder sampleStart(StringBuilder out, String name, String labels) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{').append(labels).append('}');
    }
    return out.append(' ');
  }
}
