package pulse.model.train;

import pulse.model.Padding;
import pulse.model.TrainingBatch;

/**
 * Turns users' training sequences into next-item-prediction batches: input = s[0..n-2], target =
 * s[1..n-1], both cut to the last maxLen positions and left-padded; negatives sampled per target
 * position (none when {@code negatives} is 0: the cross-entropy losses need no per-position ones).
 * A batch is only as long as its longest row needs ({@link Padding#fittedLength}): on short
 * sequences (Games: 9 items on average) most of maxLen would be padding, and the masks make the
 * outputs independent of it.
 */
public final class BatchBuilder {
  private final int[][] sequences;
  private final int[][] sortedHistories;
  private final int maxLen;
  private final int negatives;
  private final NegativeSampler sampler;
  private final int[][] gapBuckets;

  /**
   * @param sequences per user, the training sequence
   * @param sortedHistories per user, sorted distinct items negatives must avoid
   */
  public BatchBuilder(
      int[][] sequences,
      int[][] sortedHistories,
      int maxLen,
      int negatives,
      NegativeSampler sampler) {
    this(sequences, sortedHistories, maxLen, negatives, sampler, null);
  }

  /**
   * @param gapBuckets per user, aligned with sequences, or null when the model has no gap input
   */
  public BatchBuilder(
      int[][] sequences,
      int[][] sortedHistories,
      int maxLen,
      int negatives,
      NegativeSampler sampler,
      int[][] gapBuckets) {
    this.gapBuckets = gapBuckets;
    this.sequences = sequences;
    this.sortedHistories = sortedHistories;
    this.maxLen = maxLen;
    this.negatives = negatives;
    this.sampler = sampler;
  }

  public TrainingBatch build(int[] users, int from, int to) {
    int b = to - from;
    int longest = 1;
    for (int row = 0; row < b; row++)
      longest = Math.max(longest, sequences[users[from + row]].length - 1);
    int maxLen = Padding.fittedLength(longest, this.maxLen);
    int[] items = new int[b * maxLen];
    int[] pos = new int[b * maxLen];
    int[] neg = new int[b * maxLen * negatives];
    int[] gaps = gapBuckets == null ? null : new int[b * maxLen];
    for (int row = 0; row < b; row++) {
      int u = users[from + row];
      int[] s = sequences[u];
      int targets = Math.min(maxLen, s.length - 1);
      int pad = maxLen - targets;
      int base = row * maxLen;
      for (int i = 0; i < targets; i++) {
        int t = s.length - targets + i; // target index in s
        items[base + pad + i] = s[t - 1];
        if (gaps != null) gaps[base + pad + i] = gapBuckets[u][t - 1];
        pos[base + pad + i] = s[t];
        int nb = (base + pad + i) * negatives;
        for (int j = 0; j < negatives; j++) neg[nb + j] = sampler.sample(sortedHistories[u]);
      }
    }
    return new TrainingBatch(b, maxLen, negatives, items, pos, neg, null, gaps, null);
  }
}
