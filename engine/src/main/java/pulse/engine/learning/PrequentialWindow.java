package pulse.engine.learning;

import java.util.Arrays;

/**
 * Rolling HR@10 and NDCG@10 over the last {@code size} test-then-train examples.
 *
 * <p>Only ranks 1..10 contribute, so the window keeps a count per rank instead of a running sum of
 * doubles: the figures are exact after any number of records (no drift from adding and subtracting
 * floats for months), and each record is O(1). Not thread-safe: the learner actor owns it.
 */
public final class PrequentialWindow {
  /** Ranks beyond the cut-off (and {@link Integer#MAX_VALUE}, "not in the list") are all a miss. */
  public static final int CUTOFF = 10;

  // GAIN[r] = 1 / log2(r + 1): the DCG of the one relevant item at rank r; the ideal DCG is 1 (rank
  // 1).
  static final double[] GAIN = new double[CUTOFF + 1];

  static {
    for (int r = 1; r <= CUTOFF; r++) {
      GAIN[r] = 1.0 / (Math.log(r + 1) / Math.log(2));
    }
  }

  /**
   * NDCG@10 of one example whose true item came at {@code rank} (1-based; beyond 10 or a miss: 0).
   */
  public static double ndcg10(int rank) {
    return rank >= 1 && rank <= CUTOFF ? GAIN[rank] : 0;
  }

  // ranks[i] is 0 for a miss, else 1..10; a byte per example keeps a 100k window at 100 KB.
  private final byte[] ranks;
  private final long[] hitsAtRank = new long[CUTOFF + 1];
  private int next;
  private int count;

  public PrequentialWindow(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("window size must be at least 1, was " + size);
    }
    this.ranks = new byte[size];
  }

  /**
   * One example, tested before training on it.
   *
   * @param rankOfTrueItem 1-based rank of the true next item among the candidates, or {@link
   *     Integer#MAX_VALUE} when it was not in the returned list
   */
  public void record(int rankOfTrueItem) {
    if (rankOfTrueItem < 1) {
      throw new IllegalArgumentException("rank is 1-based, was " + rankOfTrueItem);
    }
    byte rank = (byte) (rankOfTrueItem <= CUTOFF ? rankOfTrueItem : 0);
    if (count == ranks.length) {
      hitsAtRank[ranks[next]]--;
    } else {
      count++;
    }
    ranks[next] = rank;
    hitsAtRank[rank]++;
    next = (next + 1) % ranks.length;
  }

  public int size() {
    return ranks.length;
  }

  /** Examples in the window now (at most {@link #size()}). */
  public long count() {
    return count;
  }

  /** Share of the window's examples with the true item in the top 10; 0 while empty. */
  public double hr10() {
    if (count == 0) {
      return 0.0;
    }
    long hits = 0;
    for (int r = 1; r <= CUTOFF; r++) {
      hits += hitsAtRank[r];
    }
    return (double) hits / count;
  }

  /** Mean NDCG@10 of the window's examples; 0 while empty. */
  public double ndcg10() {
    if (count == 0) {
      return 0.0;
    }
    double dcg = 0.0;
    for (int r = 1; r <= CUTOFF; r++) {
      dcg += hitsAtRank[r] * GAIN[r];
    }
    return dcg / count;
  }

  public WindowMetrics snapshot() {
    return new WindowMetrics(count, hr10(), ndcg10());
  }

  /**
   * Forgets every example, e.g. when a rollback makes the window's numbers describe a model no
   * longer served.
   */
  public void clear() {
    Arrays.fill(hitsAtRank, 0);
    next = 0;
    count = 0;
  }
}
