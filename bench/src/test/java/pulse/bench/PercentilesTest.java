package pulse.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  private static final double[] TEN = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

  @Test
  void nearestRank() {
    assertEquals(5, Percentiles.of(TEN, 0.5));
    assertEquals(10, Percentiles.of(TEN, 0.99));
    assertEquals(1, Percentiles.of(TEN, 0.01));
    assertEquals(10, Percentiles.of(TEN, 1.0));
    assertEquals(7, Percentiles.of(new double[] {7}, 0.5));
  }

  @Test
  void refusesNonsense() {
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new double[0], 0.5));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(TEN, 0));
  }

  @Test
  void histogramPutsValuesInTheFirstBucketThatHoldsThem() {
    double[] bounds = {1, 10, 100};
    assertArrayEquals(
        new int[] {2, 1, 2},
        LatencyHistogramHtml.histogram(new double[] {0.5, 1, 9, 50, 5000}, bounds));
  }

  @Test
  void pageNamesEachSeriesWithItsPercentiles() {
    String html =
        LatencyHistogramHtml.render("t<1>", List.of(new LatencyHistogramHtml.Series("kafka", TEN)));
    assertTrue(html.contains("<h1>t&lt;1&gt;</h1>"), html);
    assertTrue(html.contains("kafka: 10 events, p50 5.0 ms, p99 10.0 ms"), html);
    assertEquals(25, html.split("<rect").length - 1);
  }
}
