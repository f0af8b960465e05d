package pulse.engine.learning;

/**
 * HR@10 and NDCG@10 over every test-then-train example since it was made: the cumulative companion
 * of the rolling {@link PrequentialWindow}, for "how did the model do over the whole stream" (e.g.
 * a replay). Counts per rank, so the figures are exact after any number of examples; O(1) per
 * example. Not thread-safe.
 */
public final class PrequentialTotals {
  private final long[] hitsAtRank = new long[PrequentialWindow.CUTOFF + 1];
  private long count;

  /** One example; the rank as {@link PrequentialWindow#record(int)} takes it. */
  public void record(int rankOfTrueItem) {
    if (rankOfTrueItem < 1) {
      throw new IllegalArgumentException("rank is 1-based, was " + rankOfTrueItem);
    }
    hitsAtRank[rankOfTrueItem <= PrequentialWindow.CUTOFF ? rankOfTrueItem : 0]++;
    count++;
  }

  public long count() {
    return count;
  }

  /**
   * (examples, HR@10, NDCG@10) over every example so far; {@link WindowMetrics#EMPTY} before the
   * first.
   */
  public WindowMetrics snapshot() {
    if (count == 0) {
      return WindowMetrics.EMPTY;
    }
    long hits = 0;
    double dcg = 0;
    for (int r = 1; r <= PrequentialWindow.CUTOFF; r++) {
      hits += hitsAtRank[r];
      dcg += hitsAtRank[r] * PrequentialWindow.GAIN[r];
    }
    return new WindowMetrics(count, (double) hits / count, dcg / count);
  }
}
