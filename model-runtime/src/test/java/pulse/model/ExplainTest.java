package pulse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ExplainTest {

  private static final int LEN = 6;
  private static final int D = 8;

  @Test
  void rolloutIsADistributionOverTheRealPositionsOnly() {
    ModelConfig cfg = TinyModels.config();
    try (SasRecModel m = SasRecModel.create(cfg)) {
      List<SequenceInput> in =
          List.of(
              SequenceInput.of(3, 1, 4, 2, 5, 9), // full
              SequenceInput.of(4, 2, 7), // left-padded
              SequenceInput.of(1, 2, 3, 4, 5, 6, 7, 8), // cut to the last 6
              SequenceInput.of(3, 99, 4), // unknown item: padding in the middle
              SequenceInput.of(5));
      float[][] rollout = m.attentionRollout(in);
      for (int row = 0; row < in.size(); row++) {
        int[] padded = new int[LEN];
        Padding.leftPadInto(in.get(row).items(), padded, 0, LEN, cfg.numItems());
        double sum = 0;
        for (int p = 0; p < LEN; p++) {
          float w = rollout[row][p];
          assertTrue(w >= 0f, "row " + row + " position " + p + ": " + w);
          if (padded[p] == 0)
            assertEquals(0f, w, "row " + row + ": padding position " + p + " got weight");
          sum += w;
        }
        assertEquals(1.0, sum, 1e-5, "row " + row + " " + Arrays.toString(rollout[row]));
        // Each block keeps half of a row on the residual path, so the last position holds at least
        // 0.5^blocks.
        assertTrue(
            rollout[row][LEN - 1] >= Math.pow(0.5, cfg.blocks()) - 1e-6,
            Arrays.toString(rollout[row]));
      }
      assertArrayEquals(
          new float[] {0, 0, 0, 0, 0, 1}, rollout[4], 1e-6f, "a lone item gets all the weight");
      // Batch neighbours change nothing.
      float[] alone = m.attentionRollout(List.of(in.get(1)))[0];
      assertArrayEquals(alone, rollout[1], 1e-6f);
    }
  }

  @Test
  void historyWhoseLastItemIsPaddingHasNothingToCite() {
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      // An empty history, or one whose last item is unknown: the user vector ignores the other
      // positions.
      List<SequenceInput> in = List.of(SequenceInput.of(), SequenceInput.of(3, 4, 99));
      for (float[] row : m.attentionRollout(in)) assertArrayEquals(new float[LEN], row);
      for (List<Explanation> row : m.explain(in, new int[][] {{1}, {2, 5}}, 3)) {
        for (Explanation e : row) assertEquals(0, e.size());
      }
    }
  }

  @Test
  void weightsAreTheRolloutTimesTheCosineGateWithRepeatsMerged() {
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      SequenceInput s = SequenceInput.of(3, 5, 3, 7, 1);
      int[] candidates = {2, 5, 8};
      float[] a = m.attentionRollout(List.of(s))[0];
      float[] table = m.readVariable(EncoderGraph.ITEM_EMBEDDING).values();
      List<Explanation> got = m.explain(List.of(s), new int[][] {candidates}, LEN).get(0);
      assertEquals(candidates.length, got.size());
      int[] padded = Padding.leftPad(s.items(), LEN);
      for (int c = 0; c < candidates.length; c++) {
        Map<Integer, Double> expected = new TreeMap<>();
        double total = 0;
        for (int p = 0; p < LEN; p++) {
          if (padded[p] == 0) continue;
          double w = a[p] * (1 + cosine(table, padded[p], candidates[c])) / 2;
          expected.merge(padded[p], w, Double::sum);
          total += w;
        }
        Explanation e = got.get(c);
        assertEquals(candidates[c], e.item());
        assertEquals(expected.size(), e.size(), "item 3 appears twice but is cited once: " + e);
        double sum = 0;
        for (int i = 0; i < e.size(); i++) {
          assertEquals(
              expected.get(e.historyItems()[i]) / total,
              e.weights()[i],
              1e-5,
              "candidate " + candidates[c] + ", history item " + e.historyItems()[i]);
          if (i > 0) assertTrue(e.weights()[i] <= e.weights()[i - 1], "best first");
          sum += e.weights()[i];
        }
        assertEquals(1.0, sum, 1e-5);
        Explanation top1 = m.explain(List.of(s), new int[][] {{candidates[c]}}, 1).get(0).get(0);
        assertArrayEquals(new int[] {e.historyItems()[0]}, top1.historyItems());
      }
    }
  }

  @Test
  void fallsBackToTheRolloutWhenEveryHistoryItemPointsAwayFromTheCandidate() {
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      DenseTensor items = m.readVariable(EncoderGraph.ITEM_EMBEDDING);
      float[] v = items.values().clone();
      setRow(v, 3, 1f);
      setRow(v, 5, 2f);
      setRow(v, 7, 0.5f);
      setRow(v, 2, -1f);
      m.writeVariable(EncoderGraph.ITEM_EMBEDDING, new DenseTensor(items.shape(), v));
      SequenceInput s = SequenceInput.of(3, 5, 7);
      float[] a = m.attentionRollout(List.of(s))[0];
      Explanation e = m.explain(List.of(s), new int[][] {{2}}, 3).get(0).get(0);
      assertEquals(3, e.size());
      for (int i = 0; i < 3; i++) {
        int position = LEN - 3 + Arrays.asList(3, 5, 7).indexOf(e.historyItems()[i]);
        assertEquals(a[position], e.weights()[i], 1e-6, "pure rollout weight expected: " + e);
      }
    }
  }

  @Test
  void rankMergesRepeatsSkipsPaddingAndBreaksTiesByRecency() {
    int[] padded = {0, 0, 4, 6, 4, 8, 9};
    float[] weights = {0.5f, 0.5f, 0.1f, 0.2f, 0.15f, 0.2f, 0f}; // padding weights must be ignored
    Explanation e = Explainer.rank(3, padded, 1, weights, 1, 6, 3);
    assertEquals(3, e.item());
    assertArrayEquals(
        new int[] {4, 8, 6}, e.historyItems(), "4 merged (0.25); 8 and 6 tie, 8 is more recent");
    assertArrayEquals(new float[] {0.25f, 0.2f, 0.2f}, e.weights(), 1e-6f);
    assertArrayEquals(new int[] {4}, Explainer.rank(3, padded, 1, weights, 1, 6, 1).historyItems());
    assertEquals(0, Explainer.rank(3, new int[6], 0, new float[6], 0, 6, 3).size());
  }

  @Test
  void badArgumentsAreRefusedClearly() {
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      List<SequenceInput> two = List.of(SequenceInput.of(1, 2), SequenceInput.of(3));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> m.explain(two, new int[][] {{4}}, 3));
      assertTrue(e.getMessage().contains("1 rows but there are 2 sequences"), e.getMessage());
      e =
          assertThrows(
              IllegalArgumentException.class, () -> m.explain(two, new int[][] {{4}, null}, 3));
      assertTrue(e.getMessage().contains("candidateItems[1] is null"), e.getMessage());
      e =
          assertThrows(
              IllegalArgumentException.class, () -> m.explain(two, new int[][] {{4}, {10}}, 3));
      assertTrue(
          e.getMessage().contains("candidate item 10 in row 1 is outside 1..9"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> m.explain(two, new int[][] {{0}, {1}}, 3));
      e =
          assertThrows(
              IllegalArgumentException.class, () -> m.explain(two, new int[][] {{4}, {5}}, 0));
      assertTrue(e.getMessage().contains("topN"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> m.explain(null, new int[0][], 3));

      assertEquals(List.of(), m.explain(List.of(), new int[0][], 3));
      List<List<Explanation>> ragged = m.explain(two, new int[][] {{4, 6, 8}, {}}, 2);
      assertEquals(3, ragged.get(0).size());
      assertEquals(0, ragged.get(1).size());
      for (Explanation x : ragged.get(0)) {
        assertTrue(x.size() <= 2);
        for (int item : x.historyItems())
          assertTrue(item == 1 || item == 2, "cites only its own history");
      }
      // The padded candidate columns of a ragged batch do not change a row's answer.
      Explanation alone = m.explain(List.of(two.get(0)), new int[][] {{6}}, 2).get(0).get(0);
      assertArrayEquals(alone.historyItems(), ragged.get(0).get(1).historyItems());
      assertArrayEquals(alone.weights(), ragged.get(0).get(1).weights(), 1e-6f);
    }
  }

  @Test
  void concurrentExplainCallsAgree() throws Exception {
    try (SasRecModel m = SasRecModel.create(TinyModels.config())) {
      List<SequenceInput> s = List.of(SequenceInput.of(3, 1, 4, 1, 5), SequenceInput.of(9, 2));
      int[][] candidates = {{2, 6}, {5}};
      List<List<Explanation>> expected = m.explain(s, candidates, 3);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<List<List<Explanation>>>> fs = new ArrayList<>();
        for (int i = 0; i < 40; i++) fs.add(pool.submit(() -> m.explain(s, candidates, 3)));
        for (Future<List<List<Explanation>>> f : fs) {
          List<List<Explanation>> got = f.get();
          for (int row = 0; row < 2; row++) {
            for (int c = 0; c < candidates[row].length; c++) {
              Explanation x = expected.get(row).get(c);
              Explanation y = got.get(row).get(c);
              assertArrayEquals(x.historyItems(), y.historyItems());
              assertArrayEquals(x.weights(), y.weights(), 1e-6f);
            }
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static double cosine(float[] table, int i, int j) {
    double dot = 0;
    double ni = 0;
    double nj = 0;
    for (int q = 0; q < D; q++) {
      dot += table[i * D + q] * table[j * D + q];
      ni += table[i * D + q] * table[i * D + q];
      nj += table[j * D + q] * table[j * D + q];
    }
    return dot / Math.sqrt(ni * nj);
  }

  /**
   * Row {@code item} := scale * (1, 0, ..., 0): exactly representable, so the cosines are exactly
   * +-1.
   */
  private static void setRow(float[] table, int item, float scale) {
    Arrays.fill(table, item * D, item * D + D, 0f);
    table[item * D] = scale;
  }
}
