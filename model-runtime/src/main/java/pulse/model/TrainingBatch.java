package pulse.model;

/**
 * A mini-batch in the flat row-major layout fed to the graph.
 *
 * @param size       sequences in the batch (B)
 * @param maxLen     positions per sequence (L)
 * @param negatives  sampled negatives per position (K)
 * @param items      [B*L] left-padded inputs
 * @param positives  [B*L] target per position (0 = no target, masked out of the loss)
 * @param negativeIds [B*L*K] sampled negatives
 * @param eventTypes [B*L] or null; gapBuckets, categories likewise
 */
public record TrainingBatch(int size, int maxLen, int negatives, int[] items, int[] positives, int[] negativeIds,
                            int[] eventTypes, int[] gapBuckets, int[] categories) {
    public TrainingBatch {
        if (items.length != size * maxLen || positives.length != size * maxLen
                || negativeIds.length != size * maxLen * negatives) {
            throw new IllegalArgumentException("batch arrays do not match size x maxLen x negatives");
        }
    }

    public TrainingBatch(int size, int maxLen, int negatives, int[] items, int[] positives, int[] negativeIds) {
        this(size, maxLen, negatives, items, positives, negativeIds, null, null, null);
    }
}
