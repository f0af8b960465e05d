package pulse.model.train;

import java.util.Arrays;
import pulse.model.LossKind;

/**
 * The loss a training actually runs. {@code auto} (the default): full cross-entropy when the
 * catalogue has at most {@link #AUTO_FULL_MAX_FACTOR} x K items (then scoring every item costs at
 * most that much more than K shared negatives, and no sample is needed), else sampled CE with K
 * shared negatives: on Games (23,715 items) a full-CE epoch took 2.5x as long as a 2048-negative
 * one on this 2-core box, which within a time bound costs more than the exact softmax gains. Full
 * cross-entropy asked for ({@code ce}) also falls back to sampled CE when its logits would not fit
 * in memory.
 *
 * <p>Full CE holds logits for every targeted position of a batch against every item, and about
 * {@link #BUFFERS} such [positions x items] float buffers live at once (logits, masked and shifted
 * copies, exponentials, the gradient). The worst batch targets the most positions: the batch's
 * longest users, each capped at maxLen. Above {@link #LOGIT_BUDGET_BYTES} (4 GiB) the plan falls
 * back: positions x items above 268 million, e.g. a worst batch of 128 x 50 positions above 41,900
 * items, of 128 x 200 above 10,400.
 *
 * @param loss the loss trained
 * @param negatives its negatives (shared per batch for the sampled CE losses; ignored by full CE)
 * @param fellBack true when full CE was asked for and sampled CE runs instead
 */
public record LossPlan(LossKind loss, int negatives, boolean fellBack) {
  public static final long LOGIT_BUDGET_BYTES = 4L << 30;
  public static final int AUTO_FULL_MAX_FACTOR = 2;
  static final int BUFFERS = 4;

  /** Bytes of full-CE logit buffers for a batch with this many targeted positions. */
  public static long fullSoftmaxBytes(long positions, int items) {
    return positions * (items + 1L) * Float.BYTES * BUFFERS;
  }

  /**
   * Targeted positions of the worst batch: the {@code batch} longest sequences' targets (length -
   * 1), each capped at maxLen.
   */
  public static long worstBatchPositions(int[][] trainSequences, int batch, int maxLen) {
    int[] targets =
        Arrays.stream(trainSequences)
            .mapToInt(s -> Math.min(maxLen, Math.max(0, s.length - 1)))
            .sorted()
            .toArray();
    long sum = 0;
    for (int i = targets.length - 1; i >= Math.max(0, targets.length - batch); i--)
      sum += targets[i];
    return sum;
  }

  public static LossPlan choose(LossKind requested, int negatives, int items, long positions) {
    return choose(requested, negatives, items, positions, LOGIT_BUDGET_BYTES);
  }

  public static LossPlan choose(
      LossKind requested, int negatives, int items, long positions, long budgetBytes) {
    if (requested == LossKind.CE && fullSoftmaxBytes(positions, items) > budgetBytes) {
      return new LossPlan(LossKind.SAMPLED_CE, negatives, true);
    }
    return new LossPlan(requested, negatives, false);
  }

  /**
   * The default: full CE on catalogues of at most 2K items (and within memory), else sampled CE.
   */
  public static LossPlan auto(int negatives, int items, long positions) {
    if (items <= (long) AUTO_FULL_MAX_FACTOR * negatives) {
      return choose(LossKind.CE, negatives, items, positions);
    }
    return new LossPlan(LossKind.SAMPLED_CE, negatives, false);
  }

  /** Negatives each position needs in the batch itself (the shared and full losses need none). */
  public int perPositionNegatives() {
    return loss.isCrossEntropy() ? 0 : negatives;
  }
}
