package pulse.engine.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BucketsTest {
  private static final List<Variant> SPLIT_20_30_50 =
      List.of(
          new Variant("a", 20, ServingPolicy.TRENDING),
          new Variant("b", 30, ServingPolicy.MODEL),
          new Variant("c", 50, ServingPolicy.MODEL));

  @Test
  void aBucketIsAFunctionOfExperimentAndUserOnly() {
    // Pinned values: a change of the hash would move every running experiment's users.
    assertEquals(Buckets.of("exp-1", "user-42"), Buckets.of("exp-1", "user-42"));
    int pinned = Buckets.of("exp-1", "user-42");
    assertTrue(pinned >= 0 && pinned < Buckets.COUNT);
    // First 8 bytes of SHA-256("exp-1\0user-42"), unsigned, modulo 10,000, computed apart from
    // Java: int.from_bytes(hashlib.sha256(b"exp-1\x00user-42").digest()[:8], "big") % 10000.
    assertEquals(2941, pinned);
  }

  @Test
  void experimentsSplitIndependently() {
    int same = 0;
    for (int u = 0; u < 10_000; u++) {
      boolean inA = Buckets.of("first", "u" + u) < Buckets.COUNT / 2;
      boolean inB = Buckets.of("second", "u" + u) < Buckets.COUNT / 2;
      same += inA == inB ? 1 : 0;
    }
    // Independent halves agree for about half of the users (sd 50 over 10,000).
    assertTrue(Math.abs(same - 5_000) < 250, "agreement " + same);
  }

  @Test
  void sharesMatchTheWeightsOverTenThousandUsers() {
    int[] counts = new int[3];
    for (int u = 0; u < 10_000; u++) {
      counts[Buckets.variantIndex(Buckets.of("weights", "user-" + u), SPLIT_20_30_50)]++;
    }
    // Binomial sd: sqrt(10,000 * 0.2 * 0.8) = 40, 46, 50; allow 4 sd.
    assertTrue(Math.abs(counts[0] - 2_000) < 160, "a " + counts[0]);
    assertTrue(Math.abs(counts[1] - 3_000) < 184, "b " + counts[1]);
    assertTrue(Math.abs(counts[2] - 5_000) < 200, "c " + counts[2]);
  }

  @Test
  void variantsOwnContiguousRangesInListOrder() {
    assertEquals(0, Buckets.variantIndex(0, SPLIT_20_30_50));
    assertEquals(0, Buckets.variantIndex(1_999, SPLIT_20_30_50));
    assertEquals(1, Buckets.variantIndex(2_000, SPLIT_20_30_50));
    assertEquals(1, Buckets.variantIndex(4_999, SPLIT_20_30_50));
    assertEquals(2, Buckets.variantIndex(5_000, SPLIT_20_30_50));
    assertEquals(2, Buckets.variantIndex(Buckets.COUNT - 1, SPLIT_20_30_50));
    assertNotEquals(
        Buckets.variantIndex(1_999, SPLIT_20_30_50), Buckets.variantIndex(2_000, SPLIT_20_30_50));
  }
}
