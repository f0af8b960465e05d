package pulse.engine.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AlphaSpendingTest {

  @Test
  void cumulativeSpendingMatchesTheLanDeMetsObrienFlemingTable() {
    // Lan-DeMets O'Brien-Fleming-type spending, alpha 0.05 two-sided, 4 equally spaced looks:
    // 2 - 2·Phi(1.959964 / sqrt(t)) at t = 1/4, 1/2, 3/4, 1 gives
    // 0.0000886, 0.005575, 0.023625, 0.05 (Phi(3.919928) = 1 - 4.4288e-5, etc.).
    AlphaSpending spending = new AlphaSpending(0.05, 4);
    assertEquals(0.0, spending.spentBy(0), 0.0);
    assertEquals(8.8575e-5, spending.spentBy(1), 1e-8);
    assertEquals(0.005575, spending.spentBy(2), 1e-6);
    assertEquals(0.023625, spending.spentBy(3), 1e-6);
    assertEquals(0.05, spending.spentBy(4), 0.0);
  }

  @Test
  void incrementsSumToAlpha() {
    for (int looks : new int[] {1, 2, 4, 7, 12}) {
      AlphaSpending spending = new AlphaSpending(0.05, looks);
      double total = 0;
      for (int look = 1; look <= looks; look++) {
        assertTrue(spending.alphaAt(look) > 0, "look " + look + " of " + looks);
        total += spending.alphaAt(look);
      }
      assertEquals(0.05, total, 1e-15, "looks " + looks);
    }
  }

  @Test
  void firstLookSpendsFarLessThanAnEvenShare() {
    AlphaSpending spending = new AlphaSpending(0.05, 4);
    assertTrue(spending.alphaAt(1) < 0.05 / 4 / 100, "alphaAt(1) = " + spending.alphaAt(1));
    assertEquals(0.026375, spending.alphaAt(4), 1e-6);
    assertEquals(1 - 0.026375, spending.confidenceAt(4), 1e-6);
    assertEquals(0.99991142, spending.confidenceAt(1), 1e-8);
  }

  @Test
  void aSingleLookSpendsTheWholeAlpha() {
    AlphaSpending spending = new AlphaSpending(0.05, 1);
    assertEquals(0.05, spending.alphaAt(1), 0.0);
    assertEquals(0.95, spending.confidenceAt(1), 1e-15);
    assertEquals(1, spending.plannedLooks());
  }

  @Test
  void looksOutsideThePlanAreRejected() {
    AlphaSpending spending = new AlphaSpending(0.05, 4);
    assertThrows(IllegalArgumentException.class, () -> spending.alphaAt(0));
    IllegalArgumentException past =
        assertThrows(IllegalArgumentException.class, () -> spending.confidenceAt(5));
    assertTrue(past.getMessage().contains("plannedLooks = 4"), past.getMessage());
    assertThrows(IllegalArgumentException.class, () -> spending.spentBy(-1));
    assertThrows(IllegalArgumentException.class, () -> spending.spentBy(5));
  }

  @Test
  void badParametersAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new AlphaSpending(0, 4));
    assertThrows(IllegalArgumentException.class, () -> new AlphaSpending(1, 4));
    IllegalArgumentException looks =
        assertThrows(IllegalArgumentException.class, () -> new AlphaSpending(0.05, 0));
    assertTrue(looks.getMessage().contains("plannedLooks"), looks.getMessage());
  }
}
