package pulse.engine.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;

/**
 * A registry of metrics and its Prometheus text exposition (format 0.0.4). Thread-safe:
 * registration takes a lock (it is rare), updates are lock-free adders, and a scrape reads without
 * stopping writers (each series is read once; series are not read atomically with each other, as in
 * every Prometheus client).
 *
 * <p>Registering a name again returns the metric already there when it has the same type and label
 * names (and buckets); anything else fails, naming both, because two meanings under one name would
 * corrupt the series silently.
 */
public final class Metrics {
  private final Map<String, Metric> byName = new HashMap<>();

  /** Scrape order is registration order; written under the lock, read by scrapes without it. */
  private final List<Metric> ordered = new CopyOnWriteArrayList<>();

  public Counter counter(String name, String help, String... labelNames) {
    return register(
        new Counter(name, help, TextFormat.checkLabelNames(name, labelNames)), Counter.class);
  }

  public Histogram histogram(
      String name, String help, double[] bucketUpperBounds, String... labelNames) {
    return register(
        new Histogram(name, help, bucketUpperBounds, TextFormat.checkLabelNames(name, labelNames)),
        Histogram.class);
  }

  /** A gauge that is set, optionally labelled. */
  public Gauge gauge(String name, String help, String... labelNames) {
    return register(
        new Gauge(name, help, TextFormat.checkLabelNames(name, labelNames)), Gauge.class);
  }

  /**
   * A gauge read from {@code value} at each scrape. Registering the name again points it at the new
   * source (see {@link CallbackGauge#source}).
   */
  public synchronized CallbackGauge gauge(String name, String help, DoubleSupplier value) {
    CallbackGauge g = register(new CallbackGauge(name, help, value), CallbackGauge.class);
    g.source(value);
    return g;
  }

  private synchronized <M extends Metric> M register(M candidate, Class<M> type) {
    Metric existing = byName.get(candidate.name);
    if (existing == null) {
      byName.put(candidate.name, candidate);
      ordered.add(candidate);
      return candidate;
    }
    if (!existing.sameShape(candidate)) {
      throw new IllegalArgumentException(
          "metric "
              + candidate.name
              + " is already registered as a "
              + existing.describe()
              + "; cannot register it again as a "
              + candidate.describe());
    }
    return type.cast(existing);
  }

  /** Every metric as Prometheus text: {@code # HELP}, {@code # TYPE}, then its samples. */
  public String scrape() {
    StringBuilder out = new StringBuilder(256 * Math.max(1, ordered.size()));
    scrape(out);
    return out.toString();
  }

  public void scrape(StringBuilder out) {
    for (Metric m : ordered) {
      out.append("# HELP ").append(m.name).append(' ');
      TextFormat.appendHelp(out, m.help);
      out.append("\n# TYPE ").append(m.name).append(' ').append(m.type()).append('\n');
      m.writeSamples(out);
    }
  }
}
