package pulse.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {

  @Test
  void hitRateIsOneInsideTheCutoffOnly() {
    assertEquals(1.0, RankingMetrics.hitRate(0, 10));
    assertEquals(1.0, RankingMetrics.hitRate(9, 10));
    assertEquals(0.0, RankingMetrics.hitRate(10, 10));
  }

  @Test
  void ndcgMatchesHandComputedValues() {
    assertEquals(1.0, RankingMetrics.ndcg(0, 10), 1e-12); // 1/log2(2)
    assertEquals(1 / 1.5849625007211563, RankingMetrics.ndcg(1, 10), 1e-12); // 1/log2(3)
    assertEquals(0.5, RankingMetrics.ndcg(2, 10), 1e-12); // 1/log2(4)
    assertEquals(1 / 3.321928094887362, RankingMetrics.ndcg(8, 10), 1e-12); // 1/log2(10)
    assertEquals(0.0, RankingMetrics.ndcg(10, 10));
  }

  @Test
  void sampledRankCountsHigherScoresAndHalfTheTies() {
    //              item: 0    1    2    3    4    5
    float[] scores = {9f, 0.5f, 0.9f, 0.5f, 0.1f, 0.5f};
    // target 1 (0.5) vs candidates {2 (0.9, higher), 3 (tie), 4 (lower), 5 (tie)} -> 1 + 2/2 = 2
    assertEquals(2, RankingMetrics.sampledRank(scores, 0, 1, new int[] {2, 3, 4, 5}));
    assertEquals(0, RankingMetrics.sampledRank(scores, 0, 2, new int[] {1, 3, 4, 5}));
  }

  @Test
  void fullRankSkipsPaddingSeenItemsAndTheTarget() {
    // two rows of 6 columns; use the second row (offset 6)
    float[] scores = {0, 0, 0, 0, 0, 0, 100f, 0.7f, 0.9f, 0.8f, 0.1f, 0.95f};
    // target 3 (0.8); higher: 2 (0.9), 5 (0.95); padding column 0 ignored; 5 is seen -> rank 1
    assertEquals(1, RankingMetrics.fullRank(scores, 6, 5, 3, new int[] {1, 5}));
    assertEquals(2, RankingMetrics.fullRank(scores, 6, 5, 3, new int[] {}));
    // the target itself in the seen list does not change its rank
    assertEquals(2, RankingMetrics.fullRank(scores, 6, 5, 3, new int[] {3}));
  }

  @Test
  void evaluatorAveragesPerUser() {
    // Hand case: a scorer that puts the target first for one user and 11th for another -> HR 0.5,
    // NDCG 0.5
    double hr = (RankingMetrics.hitRate(0, 10) + RankingMetrics.hitRate(10, 10)) / 2;
    double ndcg = (RankingMetrics.ndcg(0, 10) + RankingMetrics.ndcg(10, 10)) / 2;
    assertEquals(0.5, hr);
    assertEquals(0.5, ndcg);
  }
}
