package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LatenciesTest {
  private static final double[] TEN = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

  /** 3 significant digits: a reported value is within 0.1% above the recorded one. */
  private static final double PRECISION = 1e-3;

  private static void assertNear(double expected, double actual) {
    assertEquals(expected, actual, expected * PRECISION);
  }

  @Test
  void nearestRankPercentilesInMillis() {
    Latencies l = Latencies.ofMillis(TEN);
    assertEquals(10, l.count());
    assertNear(5, l.millis(0.5));
    assertNear(10, l.millis(0.99));
    assertNear(1, l.millis(0.01));
    assertNear(10, l.millis(1.0));
    assertNear(10, l.maxMillis());
    assertNear(7, Latencies.ofMillis(7).millis(0.5));
  }

  @Test
  void manyValuesAcrossDecades() {
    Latencies l = new Latencies();
    IntStream.rangeClosed(1, 100_000).forEach(i -> l.recordNanos(i * 10_000L)); // 0.01..1000 ms
    assertNear(500, l.millis(0.5));
    assertNear(950, l.millis(0.95));
    assertNear(990, l.millis(0.99));
    assertNear(1000, l.maxMillis());
  }

  @Test
  void emptyGivesNaNAndNonsenseIsRefused() {
    assertTrue(Double.isNaN(new Latencies().millis(0.5)));
    assertTrue(Double.isNaN(new Latencies().maxMillis()));
    assertThrows(IllegalArgumentException.class, () -> Latencies.ofMillis(TEN).millis(0));
  }

  @Test
  void logBucketsCountTheValuesBelowEachBound() {
    // Bounds 1, 10, 100 ms; the last bucket takes everything above.
    assertArrayEquals(
        new long[] {1, 2, 2}, Latencies.ofMillis(0.5, 1, 9, 50, 5000).logBuckets(1, 10, 3));
    assertArrayEquals(new long[] {0, 0, 0}, new Latencies().logBuckets(1, 10, 3));
  }

  @Test
  void pageNamesEachSeriesWithItsPercentiles() {
    String html =
        LatencyHistogramHtml.render(
            "t<1>", List.of(new LatencyHistogramHtml.Series("kafka", Latencies.ofMillis(TEN))));
    assertTrue(html.contains("<h1>t&lt;1&gt;</h1>"), html);
    assertTrue(html.contains("kafka: 10 events, p50 5.0 ms, p99 10.0 ms"), html);
    assertEquals(25, html.split("<rect").length - 1);
    // 1..10 ms: the buckets below 1.78, 3.16, 5.62, 10 and 17.8 ms hold 1, 2, 2, 4 and 1 values.
    assertTrue(html.contains("&lt; 1.00 ms: 0<"), html);
    assertTrue(html.contains("&lt; 1.78 ms: 1<"), html);
    assertTrue(html.contains("&lt; 5.62 ms: 2<"), html);
    assertTrue(html.contains("&lt; 10.00 ms: 4<"), html);
    assertTrue(html.contains("&lt; 17.78 ms: 1<"), html);
  }
}
