package pulse.engine.analysis;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import pulse.engine.experiment.VariantTotals;

/**
 * The analyst's figures on /metrics, per {@code experiment} and {@code variant}: finished lists,
 * CTR, conversion and online NDCG@10 (gauges over the totals; no interval, Prometheus takes the
 * point figure); a shadow variant has no CTR or conversion series (nobody saw its lists). Only the
 * node that runs the analyst has them, and it removes them when the analyst stops there, so a
 * scrape of the cluster sees one series per variant.
 */
final class AnalystGauges implements AutoCloseable {
  private record Key(String experiment, String variant) {}

  private final MeterRegistry registry;
  private final Map<Key, VariantTotals.Snapshot> latest = new ConcurrentHashMap<>();
  private final List<Meter> meters = new ArrayList<>();

  AnalystGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  void update(
      String experiment,
      String variant,
      boolean shadow,
      Optional<VariantTotals.Snapshot> snapshot) {
    if (snapshot.isEmpty()) {
      return;
    }
    Key key = new Key(experiment, variant);
    if (latest.put(key, snapshot.get()) == null) {
      Tags tags = Tags.of("experiment", experiment, "variant", variant);
      gauge(
          "pulse.experiment.lists", "served lists whose window closed", key, tags, s -> s.lists());
      if (!shadow) {
        gauge("pulse.experiment.ctr", "share of lists with a click", key, tags, s -> s.ctr());
        gauge(
            "pulse.experiment.conversion",
            "share of lists with a purchase",
            key,
            tags,
            s -> s.conversion());
      }
      gauge(
          "pulse.experiment.ndcg10",
          "online NDCG@10 of the next action",
          key,
          tags,
          s -> s.ndcgMean());
    }
  }

  private void gauge(
      String name,
      String description,
      Key key,
      Tags tags,
      ToDoubleFunction<VariantTotals.Snapshot> value) {
    synchronized (meters) {
      meters.add(
          Gauge.builder(
                  name,
                  latest,
                  m -> {
                    VariantTotals.Snapshot s = m.get(key);
                    return s == null ? Double.NaN : value.applyAsDouble(s);
                  })
              .description(description)
              .tags(tags)
              .register(registry));
    }
  }

  @Override
  public void close() {
    synchronized (meters) {
      meters.forEach(registry::remove);
      meters.clear();
    }
    latest.clear();
  }
}
