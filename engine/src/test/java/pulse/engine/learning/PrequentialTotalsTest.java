package pulse.engine.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PrequentialTotalsTest {
  private static final double EPS = 1e-12;

  @Test
  void emptyMeasuresNothing() {
    assertEquals(WindowMetrics.EMPTY, new PrequentialTotals().snapshot());
  }

  @Test
  void matchesAHandComputation() {
    PrequentialTotals t = new PrequentialTotals();
    for (int rank : new int[] {1, 3, Integer.MAX_VALUE, 10, 11}) {
      t.record(rank);
    }
    WindowMetrics m = t.snapshot();
    assertEquals(5, m.examples());
    assertEquals(0.6, m.hr10(), EPS);
    assertEquals((1 + 0.5 + 1 / (Math.log(11) / Math.log(2))) / 5, m.ndcg10(), EPS);
    assertThrows(IllegalArgumentException.class, () -> t.record(0));
  }

  @Test
  void equalsAWindowThatNeverFillsAndKeepsEverythingAWindowForgets() {
    Random random = new Random(7);
    PrequentialTotals totals = new PrequentialTotals();
    PrequentialWindow large = new PrequentialWindow(100_000);
    PrequentialWindow small = new PrequentialWindow(100);
    for (int i = 0; i < 50_000; i++) {
      // The first half is good, the second bad: the small window sees only the bad part.
      int rank = i < 25_000 ? 1 + random.nextInt(5) : 11 + random.nextInt(100);
      totals.record(rank);
      large.record(rank);
      small.record(rank);
    }
    assertEquals(large.snapshot(), totals.snapshot());
    assertEquals(0.5, totals.snapshot().hr10(), EPS);
    assertEquals(0.0, small.hr10(), EPS);
  }
}
