package pulse.model;

/**
 * A mini-batch in the flat row-major layout fed to the graph.
 *
 * @param size sequences in the batch (B)
 * @param maxLen positions per sequence (L): 1 to the model's maxLen; a shorter L uses the last L
 *     position embeddings (see {@link Padding#fittedLength})
 * @param negatives sampled negatives per position (K)
 * @param items [B*L] left-padded inputs
 * @param positives [B*T] target of each of the row's last T positions (0 = no target, masked out of
 *     the loss): T = L to learn every next item of a sequence (offline training), T = 1 for only
 *     the last
 * @param negativeIds [B*T*K] sampled negatives
 * @param eventTypes [B*L] or null; gapBuckets, categories likewise
 */
public record TrainingBatch(
    int size,
    int maxLen,
    int negatives,
    int[] items,
    int[] positives,
    int[] negativeIds,
    int[] eventTypes,
    int[] gapBuckets,
    int[] categories) {
  public TrainingBatch {
    if (size < 1
        || items.length != size * maxLen
        || positives.length % size != 0
        || positives.length / size < 1
        || positives.length / size > maxLen
        || negativeIds.length != positives.length * negatives) {
      throw new IllegalArgumentException(
          "batch arrays do not match size x maxLen (items), size x T (positives,"
              + " 1 <= T <= maxLen) and size x T x negatives");
    }
  }

  public TrainingBatch(
      int size, int maxLen, int negatives, int[] items, int[] positives, int[] negativeIds) {
    this(size, maxLen, negatives, items, positives, negativeIds, null, null, null);
  }

  /** T: the targets per row, at its last T positions. */
  public int targetsPerRow() {
    return positives.length / size;
  }
}
