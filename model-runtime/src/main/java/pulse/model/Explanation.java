package pulse.model;

/**
 * Why one item was recommended: the history items that weighed most for it, best first (see {@link
 * Recommender#explain}).
 *
 * @param item the explained (candidate) item, internal index
 * @param historyItems internal indices taken from the input sequence, distinct, best first; may be
 *     shorter than the requested top-N, and empty when the history has nothing to cite
 * @param weights aligned with historyItems, each in (0, 1], together at most 1 up to float
 *     rounding: the share of the candidate's attention-weighted relevance that these items carry
 */
public record Explanation(int item, int[] historyItems, float[] weights) {

  public Explanation {
    if (historyItems == null || weights == null || historyItems.length != weights.length) {
      throw new IllegalArgumentException(
          "historyItems and weights must be non-null and of equal length");
    }
  }

  public int size() {
    return historyItems.length;
  }
}
