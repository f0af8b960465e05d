package pulse.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pulse.model.LossKind;

class LossPlanTest {

  @Test
  void worstBatchTakesTheLongestUsersCappedAtMaxLen() {
    int[][] seqs = {new int[3], new int[100], new int[11], new int[2]};
    // Two longest: 100 -> 99 targets capped at 50, and 11 -> 10.
    assertEquals(60, LossPlan.worstBatchPositions(seqs, 2, 50));
    assertEquals(50 + 10 + 2 + 1, LossPlan.worstBatchPositions(seqs, 128, 50));
  }

  @Test
  void fullSoftmaxFallsBackToSampledAboveTheLogitBudget() {
    // 6,400 positions: 4 buffers of 4-byte logits fit 4 GiB up to 41,942 items (+1 padding column).
    LossPlan small = LossPlan.choose(LossKind.CE, 2048, 41_942, 6_400);
    assertEquals(LossKind.CE, small.loss());
    assertFalse(small.fellBack());
    assertEquals(0, small.perPositionNegatives());
    LossPlan large = LossPlan.choose(LossKind.CE, 2048, 41_944, 6_400);
    assertEquals(LossKind.SAMPLED_CE, large.loss());
    assertEquals(2048, large.negatives());
    assertTrue(large.fellBack());
  }

  @Test
  void autoIsFullSoftmaxUpToTwiceTheNegativesElseSampled() {
    LossPlan small = LossPlan.auto(2048, 4096, 6_400);
    assertEquals(LossKind.CE, small.loss());
    assertFalse(small.fellBack());
    LossPlan large = LossPlan.auto(2048, 4097, 6_400);
    assertEquals(LossKind.SAMPLED_CE, large.loss());
    assertEquals(2048, large.negatives());
    assertFalse(large.fellBack());
    // Small enough for auto's speed rule but not for memory: sampled after all.
    assertEquals(LossKind.SAMPLED_CE, LossPlan.auto(100_000, 50_000, 100_000).loss());
  }

  @Test
  void otherLossesAreKeptAsAsked() {
    LossPlan bce = LossPlan.choose(LossKind.BCE, 1, 10_000_000, 100_000);
    assertEquals(LossKind.BCE, bce.loss());
    assertEquals(1, bce.perPositionNegatives());
    assertEquals(0, LossPlan.choose(LossKind.SAMPLED_CE, 512, 10, 10).perPositionNegatives());
  }
}
