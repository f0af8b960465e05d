package pulse.model.eval;

/** Leave-one-out ranking metrics for a single held-out item. Ranks are 0-based (0 = top). */
public final class RankingMetrics {
  private RankingMetrics() {}

  public static double hitRate(int rank, int k) {
    return rank < k ? 1.0 : 0.0;
  }

  /**
   * With one relevant item the ideal DCG is 1, so NDCG@k = 1 / log2(rank + 2) inside the cut-off.
   */
  public static double ndcg(int rank, int k) {
    return rank < k ? 1.0 / (Math.log(rank + 2) / Math.log(2)) : 0.0;
  }

  /**
   * Rank of the target among sampled candidates: how many score strictly higher, plus half of the
   * ties (rounded down), so constant scorers get an average, not a best-case, rank.
   */
  public static int sampledRank(float[] scores, int rowOffset, int target, int[] candidates) {
    float t = scores[rowOffset + target];
    int greater = 0;
    int ties = 0;
    for (int c : candidates) {
      float s = scores[rowOffset + c];
      if (s > t) greater++;
      else if (s == t) ties++;
    }
    return greater + ties / 2;
  }

  /**
   * Rank of the target among the whole catalogue 1..numItems, not counting the items in {@code
   * sortedSeen} (the user's history) nor the target itself. Same tie rule as {@link #sampledRank}.
   */
  public static int fullRank(
      float[] scores, int rowOffset, int numItems, int target, int[] sortedSeen) {
    float t = scores[rowOffset + target];
    int greater = 0;
    int ties = 0;
    for (int i = 1; i <= numItems; i++) {
      float s = scores[rowOffset + i];
      if (s >= t && i != target) {
        if (s > t) greater++;
        else ties++;
      }
    }
    // Remove seen items that were counted.
    for (int seen : sortedSeen) {
      if (seen == target || seen < 1 || seen > numItems) continue;
      float s = scores[rowOffset + seen];
      if (s > t) greater--;
      else if (s == t) ties--;
    }
    return greater + ties / 2;
  }
}
