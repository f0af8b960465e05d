package pulse.engine.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrequentialWindowTest {
  private static final double EPS = 1e-12;
  private static final int MISS = Integer.MAX_VALUE;

  @Test
  void anEmptyWindowMeasuresNothing() {
    PrequentialWindow w = new PrequentialWindow(5);
    assertEquals(0, w.count());
    assertEquals(0.0, w.hr10());
    assertEquals(0.0, w.ndcg10());
    assertEquals(WindowMetrics.EMPTY, w.snapshot());
  }

  @Test
  void matchesAHandComputation() {
    PrequentialWindow w = new PrequentialWindow(10);
    for (int rank : new int[] {1, 3, MISS, 10, 11}) {
      w.record(rank);
    }
    // Hits at ranks 1, 3 and 10; rank 11 and "not listed" are misses.
    // NDCG = (1/log2(2) + 1/log2(4) + 1/log2(11)) / 5 = (1 + 0.5 + 0.2890648263178879) / 5
    assertEquals(5, w.count());
    assertEquals(0.6, w.hr10(), EPS);
    assertEquals(0.35781296526357757, w.ndcg10(), EPS);
    assertEquals(new WindowMetrics(5, w.hr10(), w.ndcg10()), w.snapshot());
  }

  @Test
  void rankOneIsPerfectAndRankTwoIsOneOverLog2Of3() {
    PrequentialWindow w = new PrequentialWindow(2);
    w.record(1);
    assertEquals(1.0, w.ndcg10(), EPS);
    w.record(2);
    assertEquals((1.0 + 0.6309297535714574) / 2, w.ndcg10(), EPS);
    assertEquals(1.0, w.hr10(), EPS);
  }

  @Test
  void theOldestExampleLeavesTheWindow() {
    PrequentialWindow w = new PrequentialWindow(3);
    w.record(1);
    w.record(1);
    w.record(1);
    assertEquals(1.0, w.ndcg10(), EPS);
    w.record(MISS); // [1, 1, miss]
    assertEquals(3, w.count());
    assertEquals(2.0 / 3, w.hr10(), EPS);
    assertEquals(2.0 / 3, w.ndcg10(), EPS);
    w.record(2); // [1, miss, 2]
    assertEquals(2.0 / 3, w.hr10(), EPS);
    assertEquals((1 + 0.6309297535714574) / 3, w.ndcg10(), EPS);
    w.record(MISS);
    w.record(MISS); // [2, miss, miss]
    assertEquals(1.0 / 3, w.hr10(), EPS);
    assertEquals(0.6309297535714574 / 3, w.ndcg10(), EPS);
    w.record(MISS); // only misses left
    assertEquals(0.0, w.hr10());
    assertEquals(0.0, w.ndcg10());
  }

  @Test
  void staysExactOverAMillionRecordsAgainstABruteForceWindow() {
    PrequentialWindow w = new PrequentialWindow(1000);
    ArrayDeque<Integer> last = new ArrayDeque<>();
    Random random = new Random(7);
    for (int i = 0; i < 1_000_000; i++) {
      int rank = random.nextInt(4) == 0 ? MISS : 1 + random.nextInt(20);
      w.record(rank);
      last.addLast(rank);
      if (last.size() > 1000) {
        last.removeFirst();
      }
    }
    double hits = 0;
    double dcg = 0;
    for (int r : last) {
      if (r <= 10) {
        hits++;
        dcg += 1.0 / (Math.log(r + 1) / Math.log(2));
      }
    }
    assertEquals(1000, w.count());
    assertEquals(hits / 1000, w.hr10(), EPS);
    assertEquals(dcg / 1000, w.ndcg10(), EPS);
  }

  @Test
  void clearForgetsEverything() {
    PrequentialWindow w = new PrequentialWindow(2);
    w.record(1);
    w.record(1);
    w.record(1);
    w.clear();
    assertEquals(WindowMetrics.EMPTY, w.snapshot());
    w.record(MISS);
    assertEquals(1, w.count());
    assertEquals(0.0, w.hr10());
    w.record(1);
    w.record(
        1); // the window is full again; the miss leaves, not a stale slot from before the clear
    assertEquals(1.0, w.hr10(), EPS);
  }

  @Test
  void refusesRanksBelowOneAndEmptyWindows() {
    PrequentialWindow w = new PrequentialWindow(1);
    assertThrows(IllegalArgumentException.class, () -> w.record(0));
    assertThrows(IllegalArgumentException.class, () -> w.record(-3));
    assertThrows(IllegalArgumentException.class, () -> new PrequentialWindow(0));
    assertEquals(0, w.count());
  }
}
