package pulse.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pulse.model.SharedNegatives;

class SharedNegativeSamplerTest {

  @Test
  void uniformDrawsCoverTheCatalogueAndNeedNoCorrection() {
    SharedNegativeSampler s = SharedNegativeSampler.uniform(5, 1L);
    SharedNegatives n = s.draw(5000, new int[] {1, 0, 2});
    assertNull(n.logQ());
    int[] seen = new int[6];
    for (int id : n.ids()) seen[id]++;
    assertEquals(0, seen[0]);
    for (int i = 1; i <= 5; i++) assertTrue(seen[i] > 800 && seen[i] < 1200, "item " + i);
  }

  @Test
  void popularityDrawsFollowCountsPlusOneAndCarryTheirLogQ() {
    // Item 1 seen 7 times, item 2 once, item 3 never: weights 8, 2, 1 of 11.
    int[][] seqs = {{1, 1, 1, 2}, {1, 1, 1, 1}, {9, 0}};
    SharedNegativeSampler s = SharedNegativeSampler.popularity(3, seqs, 2L);
    assertEquals(Math.log(8 / 11.0), s.logProbability(1), 1e-6);
    assertEquals(Math.log(1 / 11.0), s.logProbability(3), 1e-6);
    SharedNegatives n = s.draw(22_000, new int[] {2, 0, 3});
    int[] seen = new int[4];
    for (int k = 0; k < n.ids().length; k++) {
      seen[n.ids()[k]]++;
      assertEquals(s.logProbability(n.ids()[k]), n.logQ()[k], 1e-6);
    }
    assertEquals(16_000, seen[1], 400);
    assertEquals(4_000, seen[2], 250);
    assertEquals(2_000, seen[3], 200);
    assertArrayEquals(
        new float[] {(float) Math.log(2 / 11.0), 0f, (float) Math.log(1 / 11.0)},
        n.positiveLogQ(),
        1e-6f);
  }

  @Test
  void sameSeedSameDraws() {
    int[] a = SharedNegativeSampler.uniform(100, 7L).draw(50, new int[1]).ids();
    int[] b = SharedNegativeSampler.uniform(100, 7L).draw(50, new int[1]).ids();
    assertArrayEquals(a, b);
  }
}
