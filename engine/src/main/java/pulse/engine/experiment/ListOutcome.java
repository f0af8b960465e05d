package pulse.engine.experiment;

import java.util.Objects;

/**
 * What one served list earned by the time its attribution window closed (or it was evicted): the
 * per-list observation that {@link VariantTotals} sums per variant. Immutable, so it can be handed
 * to another owner without copying.
 *
 * @param experiment the list's experiment
 * @param variant the list's variant
 * @param listSize how many items the list showed (its impressions)
 * @param clicked whether at least one click was attributed to the list ({@code clicks > 0})
 * @param clicks how many clicks were attributed to the list
 * @param carted whether at least one add-to-cart was attributed to the list
 * @param purchased whether at least one purchase was attributed to the list
 * @param nextRank the 1-based rank in the list of the item of the user's first action (view, click,
 *     add to cart, purchase or rating) at or after serving and within the window; 0 when that item
 *     was not in the list; {@code null} when no action came within the window
 * @param fallback whether trending items were served instead of the model's answer
 * @param tookMs how long serving took, milliseconds
 */
public record ListOutcome(
    String experiment,
    String variant,
    int listSize,
    boolean clicked,
    int clicks,
    boolean carted,
    boolean purchased,
    Integer nextRank,
    boolean fallback,
    double tookMs) {

  /** The cut-off of {@link #ndcgAt10()}: ranks below it earn nothing. */
  public static final int NDCG_CUTOFF = 10;

  public ListOutcome {
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(variant, "variant");
    if (listSize < 0 || clicks < 0) {
      throw new IllegalArgumentException(
          "listSize and clicks must not be negative, were " + listSize + " and " + clicks);
    }
    if (nextRank != null && nextRank < 0) {
      throw new IllegalArgumentException("nextRank must not be negative, was " + nextRank);
    }
  }

  /**
   * NDCG@10 of the list against the user's next action, with that action's item as the one relevant
   * item: {@code 1 / log2(nextRank + 1)} when {@code nextRank} is in 1..10, else 0. With a single
   * relevant item the ideal DCG is 1, so the DCG is already normalised: rank 1 scores 1, rank 3
   * scores 0.5. Only meaningful when {@code nextRank != null} (a list nobody acted on has no next
   * action to rank); it returns 0 then.
   */
  public double ndcgAt10() {
    if (nextRank == null || nextRank < 1 || nextRank > NDCG_CUTOFF) {
      return 0.0;
    }
    return Math.log(2) / Math.log(nextRank + 1.0);
  }
}
