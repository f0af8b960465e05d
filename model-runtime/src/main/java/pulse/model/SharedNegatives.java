package pulse.model;

/**
 * One batch's negatives for the shared-negative losses ({@link LossKind#SAMPLED_CE}, {@link
 * LossKind#SAMPLED_CE_POP}): K item ids scored against every position of the batch.
 *
 * @param ids [K] item indices (1..assigned items), with repeats allowed (drawn with replacement)
 * @param logQ [K] log of each id's sampling probability, or null for uniform sampling (a constant
 *     shift of every logit, which the softmax ignores)
 * @param positiveLogQ [B*T] log sampling probability of each position's positive (aligned with the
 *     batch's positives; 0 where there is none), or null with logQ
 */
public record SharedNegatives(int[] ids, float[] logQ, float[] positiveLogQ) {
  public SharedNegatives {
    if (ids == null || ids.length == 0)
      throw new IllegalArgumentException("shared negatives need at least one id");
    if ((logQ == null) != (positiveLogQ == null))
      throw new IllegalArgumentException("logQ and positiveLogQ come together");
    if (logQ != null && logQ.length != ids.length)
      throw new IllegalArgumentException("logQ must have one entry per id");
  }
}
