package pulse.model.train;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

/**
 * Orders an epoch's (already shuffled) users so each batch holds users of similar length: within
 * windows of {@code window} batches users are sorted by sequence length, cut into batches, and the
 * batches of the whole epoch shuffled. A batch is as long as its longest row ({@link
 * BatchBuilder}), so on skewed lengths (Games: 9 items on average, p95 24) random batches pay for
 * the longest user in every batch, bucketed ones mostly for their own length. The window keeps some
 * randomness in which users share a batch.
 */
public final class LengthBatches {
  private LengthBatches() {}

  /**
   * @param users the epoch's users, shuffled
   * @param lengths per user, the length that decides the batch's cost
   * @return the same users reordered
   */
  public static int[] order(
      int[] users, int[] lengths, int batch, int window, SplittableRandom random) {
    if (batch < 1 || window < 1) throw new IllegalArgumentException("batch and window >= 1");
    Integer[] boxed = Arrays.stream(users).boxed().toArray(Integer[]::new);
    int span = batch * window;
    for (int from = 0; from < boxed.length; from += span) {
      Arrays.sort(
          boxed,
          from,
          Math.min(boxed.length, from + span),
          Comparator.comparingInt(u -> lengths[u]));
    }
    int batches = (boxed.length + batch - 1) / batch;
    int[] batchOrder = new int[batches];
    for (int i = 0; i < batches; i++) batchOrder[i] = i;
    Trainer.shuffleInPlace(batchOrder, random);
    int[] out = new int[users.length];
    int at = 0;
    // The one short batch (the last) stays wherever the shuffle puts it.
    for (int b : batchOrder) {
      for (int i = b * batch; i < Math.min(boxed.length, (b + 1) * batch); i++)
        out[at++] = boxed[i];
    }
    return out;
  }
}
