package pulse.engine.learning;

/**
 * Prequential (test-then-train) quality of the model over a window: every example was scored by the
 * model <em>before</em> the model learned from it, so these are honest out-of-sample numbers.
 *
 * @param examples how many examples the numbers average over (0: nothing measured yet, both rates
 *     are 0)
 * @param hr10 share of examples whose true next item ranked in the top 10
 * @param ndcg10 mean NDCG@10 with one relevant item: 1/log2(rank+1) inside the top 10, 0 outside
 */
public record WindowMetrics(long examples, double hr10, double ndcg10) {
  public static final WindowMetrics EMPTY = new WindowMetrics(0, 0.0, 0.0);

  public WindowMetrics {
    if (examples < 0) {
      throw new IllegalArgumentException("examples must not be negative, was " + examples);
    }
  }
}
