package pulse.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private final Metrics metrics = new Metrics();

  @Test
  void counterWritesHelpTypeAndOneLinePerLabelTuple() {
    Counter c = metrics.counter("pulse_requests_total", "Requests.", "endpoint", "status");
    c.labels("GET /a", "200").inc();
    c.labels("GET /a", "200").inc(2);
    c.labels("GET /a", "500").inc();
    assertEquals(
        """
        # HELP pulse_requests_total Requests.
        # TYPE pulse_requests_total counter
        pulse_requests_total{endpoint="GET /a",status="200"} 3
        pulse_requests_total{endpoint="GET /a",status="500"} 1
        """,
        metrics.scrape());
  }

  @Test
  void anUnlabelledCounterIsScrapedAsZeroBeforeItsFirstIncrement() {
    metrics.counter("pulse_timeouts_total", "Timeouts.");
    assertTrue(metrics.scrape().endsWith("pulse_timeouts_total 0\n"), metrics.scrape());
  }

  @Test
  void histogramBucketsAreCumulativeAndEndWithInfSumAndCount() {
    Histogram h =
        metrics.histogram(
            "pulse_latency_seconds", "Latency.", new double[] {0.0005, 0.01, 1, 10}, "endpoint");
    Histogram.Child child = h.labels("GET /a");
    child.observe(0.0001);
    child.observe(0.0005); // a value on a bound belongs to that bound's bucket (le = less or equal)
    child.observe(0.5);
    child.observe(42);
    assertEquals(
        """
        # HELP pulse_latency_seconds Latency.
        # TYPE pulse_latency_seconds histogram
        pulse_latency_seconds_bucket{endpoint="GET /a",le="0.0005"} 2
        pulse_latency_seconds_bucket{endpoint="GET /a",le="0.01"} 2
        pulse_latency_seconds_bucket{endpoint="GET /a",le="1"} 3
        pulse_latency_seconds_bucket{endpoint="GET /a",le="10"} 3
        pulse_latency_seconds_bucket{endpoint="GET /a",le="+Inf"} 4
        pulse_latency_seconds_sum{endpoint="GET /a"} 42.5006
        pulse_latency_seconds_count{endpoint="GET /a"} 4
        """,
        metrics.scrape());
  }

  @Test
  void anUnlabelledHistogramHasOnlyTheLeLabelAndIgnoresNaN() {
    Histogram h =
        metrics.histogram(
            "pulse_batch_size", "Batch size.", new double[] {1, 2, Double.POSITIVE_INFINITY});
    h.observe(2);
    h.observe(Double.NaN);
    assertEquals(
        """
        # HELP pulse_batch_size Batch size.
        # TYPE pulse_batch_size histogram
        pulse_batch_size_bucket{le="1"} 0
        pulse_batch_size_bucket{le="2"} 1
        pulse_batch_size_bucket{le="+Inf"} 1
        pulse_batch_size_sum 2
        pulse_batch_size_count 1
        """,
        metrics.scrape());
  }

  @Test
  void labelValuesEscapeBackslashQuoteAndNewlineAndHelpEscapesBackslashAndNewline() {
    metrics
        .counter("pulse_odd_total", "Line one\nback\\slash \"quoted\"", "v")
        .labels("a\\b\"c\nd")
        .inc();
    assertEquals(
        """
        # HELP pulse_odd_total Line one\\nback\\\\slash "quoted"
        # TYPE pulse_odd_total counter
        pulse_odd_total{v="a\\\\b\\"c\\nd"} 1
        """,
        metrics.scrape());
  }

  @Test
  void registeringTheSameNameAndShapeAgainReturnsTheSameMetric() {
    Counter a = metrics.counter("pulse_x_total", "X.", "k");
    Counter b = metrics.counter("pulse_x_total", "Other help text.", "k");
    assertSame(a, b);
    Histogram h = metrics.histogram("pulse_h", "H.", new double[] {1, 2});
    assertSame(h, metrics.histogram("pulse_h", "H.", new double[] {1, 2}));
    assertEquals(
        1, metrics.scrape().lines().filter(l -> l.startsWith("# TYPE pulse_x_total")).count());
  }

  @Test
  void registeringTheSameNameWithAnotherTypeLabelsOrBucketsFailsNamingBoth() {
    metrics.counter("pulse_x_total", "X.", "k");
    var otherType =
        assertThrows(
            IllegalArgumentException.class, () -> metrics.gauge("pulse_x_total", "X.", "k"));
    assertTrue(otherType.getMessage().contains("counter with labels [k]"), otherType.getMessage());
    assertTrue(otherType.getMessage().contains("gauge with labels [k]"), otherType.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> metrics.counter("pulse_x_total", "X.", "k", "j"));
    assertThrows(IllegalArgumentException.class, () -> metrics.counter("pulse_x_total", "X."));
    metrics.histogram("pulse_h", "H.", new double[] {1, 2});
    assertThrows(
        IllegalArgumentException.class,
        () -> metrics.histogram("pulse_h", "H.", new double[] {1, 3}));
    assertThrows(IllegalArgumentException.class, () -> metrics.gauge("pulse_h", "H.", () -> 1));
  }

  @Test
  void badNamesLabelsAndBucketsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> metrics.counter("pulse-x", "X."));
    assertThrows(
        IllegalArgumentException.class, () -> metrics.counter("pulse_x", "X.", "__reserved"));
    assertThrows(IllegalArgumentException.class, () -> metrics.counter("pulse_x", "X.", "a", "a"));
    assertThrows(
        IllegalArgumentException.class,
        () -> metrics.histogram("pulse_h", "H.", new double[] {1}, "le"));
    assertThrows(
        IllegalArgumentException.class,
        () -> metrics.histogram("pulse_h", "H.", new double[] {2, 1}));
    assertThrows(
        IllegalArgumentException.class,
        () -> metrics.histogram("pulse_h", "H.", new double[] {1, 1}));
    assertThrows(
        IllegalArgumentException.class,
        () -> metrics.histogram("pulse_h", "H.", new double[] {Double.NaN}));
  }

  @Test
  void theWrongNumberOfLabelValuesOrANullValueFails() {
    Counter c = metrics.counter("pulse_x_total", "X.", "a", "b");
    assertThrows(IllegalArgumentException.class, () -> c.labels("only one"));
    assertThrows(IllegalArgumentException.class, () -> c.labels("a", null));
    assertThrows(IllegalStateException.class, c::inc);
    assertThrows(IllegalArgumentException.class, () -> c.labels("a", "b").inc(-1));
  }

  @Test
  void aCallbackGaugeIsReadAtScrapeTimeFollowsItsLatestSourceAndSurvivesAFailingOne() {
    AtomicInteger depth = new AtomicInteger(3);
    CallbackGauge g = metrics.gauge("pulse_depth", "Depth.", depth::get);
    assertTrue(metrics.scrape().contains("pulse_depth 3\n"));
    depth.set(7);
    assertTrue(metrics.scrape().contains("pulse_depth 7\n"));
    assertSame(g, metrics.gauge("pulse_depth", "Depth.", () -> 0.25));
    assertTrue(metrics.scrape().contains("pulse_depth 0.25\n"));
    metrics.gauge(
        "pulse_depth",
        "Depth.",
        () -> {
          throw new IllegalStateException("queue gone");
        });
    assertTrue(metrics.scrape().contains("pulse_depth NaN\n"));
  }

  @Test
  void aRemovedGaugeSeriesLeavesTheScrapeAndStartsAgainFromZero() {
    Gauge g = metrics.gauge("pulse_info", "Info.", "version");
    g.labels("v1").set(1);
    g.labels("v2").set(1);
    g.remove("v1");
    g.remove("never-set");
    String scrape = metrics.scrape();
    assertTrue(scrape.contains("pulse_info{version=\"v2\"} 1\n"), scrape);
    assertTrue(!scrape.contains("v1"), scrape);
    assertEquals(0.0, g.labels("v1").value());
  }

  @Test
  void metricsAreScrapedInRegistrationOrder() {
    metrics.counter("pulse_b_total", "B.");
    metrics.counter("pulse_a_total", "A.");
    List<String> types = metrics.scrape().lines().filter(l -> l.startsWith("# TYPE")).toList();
    assertEquals(List.of("# TYPE pulse_b_total counter", "# TYPE pulse_a_total counter"), types);
  }

  @Test
  void concurrentUpdatesAreAllCounted() throws Exception {
    Counter c = metrics.counter("pulse_x_total", "X.", "status");
    Histogram h = metrics.histogram("pulse_h", "H.", new double[] {1});
    int threads = 4;
    int perThread = 20_000;
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String status = t % 2 == 0 ? "200" : "500";
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  c.labels(status).inc();
                  h.observe(0.5);
                }
              });
      thread.start();
      started.add(thread);
    }
    for (Thread t : started) {
      t.join();
    }
    assertEquals(threads / 2 * perThread, c.labels("200").value());
    assertEquals(threads / 2 * perThread, c.labels("500").value());
    assertEquals((long) threads * perThread, h.only().count());
    assertEquals(threads * perThread * 0.5, h.only().sum(), 1e-6);
  }

  @Test
  void valuesAndBoundsPrintAsPrometheusParsesThem() {
    StringBuilder b = new StringBuilder();
    TextFormat.appendValue(b.append(' '), 3.0);
    TextFormat.appendValue(b.append(' '), 0.25);
    TextFormat.appendValue(b.append(' '), Double.POSITIVE_INFINITY);
    TextFormat.appendValue(b.append(' '), Double.NEGATIVE_INFINITY);
    TextFormat.appendValue(b.append(' '), Double.NaN);
    assertEquals(" 3 0.25 +Inf -Inf NaN", b.toString());
    assertEquals("0.0005", TextFormat.bound(0.0005));
    assertEquals("10", TextFormat.bound(10));
    assertEquals("2.5", TextFormat.bound(2.5));
  }
}
