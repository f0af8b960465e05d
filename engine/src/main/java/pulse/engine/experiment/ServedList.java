package pulse.engine.experiment;

import java.util.List;
import java.util.Objects;

/**
 * One recommendation list as it was served to a user, the unit the experiment metrics count: every
 * served list belongs to exactly one variant of one experiment.
 *
 * @param userId who was served
 * @param listId the list's identity; several impression events of one list carry the same id
 * @param experiment the experiment the user was assigned in
 * @param variant the variant of that experiment that produced the list
 * @param items the item ids in rank order, rank 1 first; copied, so the record is immutable
 * @param servedAt when it was served, epoch milliseconds (event time)
 * @param fallback true when trending items were served instead of the model's answer
 * @param tookMs how long serving took, milliseconds
 * @param shadow a shadow variant's list: scored on the request, never shown, so no action is ever
 *     credited to it; it only takes the user's next action's rank
 */
public record ServedList(
    String userId,
    String listId,
    String experiment,
    String variant,
    List<String> items,
    long servedAt,
    boolean fallback,
    double tookMs,
    boolean shadow) {

  public ServedList {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(listId, "listId");
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(variant, "variant");
    items = List.copyOf(items);
  }

  /** A served (shown) list. */
  public ServedList(
      String userId,
      String listId,
      String experiment,
      String variant,
      List<String> items,
      long servedAt,
      boolean fallback,
      double tookMs) {
    this(userId, listId, experiment, variant, items, servedAt, fallback, tookMs, false);
  }

  /**
   * The 1-based rank of {@code itemId} in this list (its first occurrence), or 0 when it is not in
   * the list.
   */
  public int rankOf(String itemId) {
    return items.indexOf(itemId) + 1;
  }
}
