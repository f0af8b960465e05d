package pulse.engine.metrics;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Metric;
import com.codahale.metrics.Sampling;
import com.datastax.oss.driver.api.core.CqlSession;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * The Cassandra driver's own session and node metrics on the node's registry. The driver that
 * akka-persistence-cassandra 1.0.6 pins (4.6) keeps them in a Dropwizard registry and has no
 * Micrometer module (that starts at 4.10), so each of its metrics is read through a Micrometer
 * meter here: counts as counters ({@code cassandra_cql_requests_total}), gauges as gauges, and a
 * timer's latency quantiles as gauges tagged {@code quantile} ({@code
 * cassandra_cql_requests_seconds}). Which metrics the driver keeps is {@code
 * datastax-java-driver.advanced.metrics} (conf/cassandra.conf); the session's name prefix ("s0.")
 * is dropped and a node's address becomes the tag {@code node}.
 */
public final class CassandraDriverMetrics {
  private static final double[] QUANTILES = {0.5, 0.95, 0.99};

  private CassandraDriverMetrics() {}

  public static void bind(CqlSession session, MeterRegistry registry) {
    session
        .getMetrics()
        .ifPresent(
            metrics ->
                metrics
                    .getRegistry()
                    .getMetrics()
                    .forEach((name, metric) -> bind(name, metric, registry)));
  }

  private static void bind(String driverName, Metric metric, MeterRegistry registry) {
    // "s0.cql-requests", "s0.nodes.127_0_0_1:9042.pool.open-connections"
    String name = driverName.substring(driverName.indexOf('.') + 1);
    String node = "";
    if (name.startsWith("nodes.")) {
      String rest = name.substring("nodes.".length());
      node = rest.substring(0, rest.indexOf('.'));
      name = "node." + rest.substring(node.length() + 1);
    }
    String meter = "cassandra." + name.replace('-', '.').toLowerCase(Locale.ROOT);
    String[] tags = node.isEmpty() ? new String[0] : new String[] {"node", node};
    if (metric instanceof com.codahale.metrics.Gauge<?> gauge) {
      Gauge.builder(meter, gauge, CassandraDriverMetrics::value).tags(tags).register(registry);
    } else if (metric instanceof com.codahale.metrics.Counter counter) {
      // The driver's counters go up and down (in-flight requests): a gauge.
      Gauge.builder(meter, counter, com.codahale.metrics.Counter::getCount)
          .tags(tags)
          .register(registry);
    } else if (metric instanceof Counting counting) {
      FunctionCounter.builder(meter, counting, Counting::getCount).tags(tags).register(registry);
      if (metric instanceof Sampling sampling) {
        // Driver timers sample nanoseconds.
        for (double q : QUANTILES) {
          Gauge.builder(meter + ".seconds", sampling, s -> s.getSnapshot().getValue(q) / 1e9)
              .tags(tags)
              .tag("quantile", Double.toString(q))
              .register(registry);
        }
      }
    }
  }

  private static double value(com.codahale.metrics.Gauge<?> gauge) {
    return gauge.getValue() instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
