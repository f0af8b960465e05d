package pulse.model.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import pulse.model.SharedNegatives;

/**
 * Draws one batch's shared negatives: K ids from 1..items with replacement, uniformly or in
 * proportion to training popularity (count + 1, so an item unseen in training can still be drawn).
 * Popularity sampling returns each id's log Q, and the positives' log Q, for the logQ correction
 * (logit - log Q) that keeps sampled cross-entropy an estimate of the full one: without it frequent
 * items would be pushed down just for being drawn often.
 */
public final class SharedNegativeSampler {
  private final int items;
  private final long[] cumulative; // null = uniform; else cumulative[i-1] = sum of weights 1..i
  private final float[] logQ; // by item index, popularity sampling only
  private final SplittableRandom random;

  private SharedNegativeSampler(int items, long[] cumulative, float[] logQ, long seed) {
    if (items < 1) throw new IllegalArgumentException("items must be >= 1");
    this.items = items;
    this.cumulative = cumulative;
    this.logQ = logQ;
    this.random = new SplittableRandom(seed);
  }

  public static SharedNegativeSampler uniform(int items, long seed) {
    return new SharedNegativeSampler(items, null, null, seed);
  }

  /**
   * @param sequences training sequences (item indices 1..items; others ignored)
   */
  public static SharedNegativeSampler popularity(int items, int[][] sequences, long seed) {
    long[] weight = new long[items + 1];
    Arrays.fill(weight, 1, items + 1, 1L);
    for (int[] s : sequences) {
      for (int i : s) if (i >= 1 && i <= items) weight[i]++;
    }
    long[] cumulative = new long[items];
    long total = 0;
    for (int i = 1; i <= items; i++) {
      total += weight[i];
      cumulative[i - 1] = total;
    }
    float[] logQ = new float[items + 1];
    for (int i = 1; i <= items; i++) logQ[i] = (float) Math.log((double) weight[i] / total);
    return new SharedNegativeSampler(items, cumulative, logQ, seed);
  }

  /** log of the probability that one draw gives {@code item}. */
  public double logProbability(int item) {
    if (item < 1 || item > items) throw new IllegalArgumentException("item out of range: " + item);
    return logQ == null ? -Math.log(items) : logQ[item];
  }

  /** K negatives for a batch whose positives are {@code positives} (0 = no target there). */
  public SharedNegatives draw(int k, int[] positives) {
    if (k < 1) throw new IllegalArgumentException("k must be >= 1");
    int[] ids = new int[k];
    if (cumulative == null) {
      for (int j = 0; j < k; j++) ids[j] = 1 + random.nextInt(items);
      return new SharedNegatives(ids, null, null);
    }
    long total = cumulative[items - 1];
    float[] q = new float[k];
    for (int j = 0; j < k; j++) {
      long r = random.nextLong(total);
      int at = Arrays.binarySearch(cumulative, r + 1);
      int index = at >= 0 ? at : -at - 1; // first cumulative >= r + 1
      ids[j] = index + 1;
      q[j] = logQ[ids[j]];
    }
    float[] positiveQ = new float[positives.length];
    for (int i = 0; i < positives.length; i++) {
      int p = positives[i];
      positiveQ[i] = p >= 1 && p <= items ? logQ[p] : 0f;
    }
    return new SharedNegatives(ids, q, positiveQ);
  }
}
