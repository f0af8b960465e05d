package pulse.engine.learning;

import java.time.Duration;

/**
 * Bounds and timing of {@link ExampleStream}.
 *
 * @param maxUsers users whose sequences are kept; the least recently active beyond this are
 *     forgotten (their next interaction starts a fresh history), which bounds memory whatever the
 *     traffic
 * @param maxHistory items kept per user, and so the longest {@link Example#historyBefore()}; 0 =
 *     the model's maxLen ({@link #forModel}), as anything longer would be cut off by the model
 *     anyway and anything shorter hides history the model was trained to use
 * @param maxNegatives impressions attached to one positive at most, the most recent first
 * @param maxPendingImpressions impressions per user waiting to become negatives; the oldest go
 *     first
 * @param impressionHorizon an impression becomes a negative only once this long has passed without
 *     the user interacting with the item, so an item clicked a few seconds after it was shown is
 *     never a negative; zero makes the rest of a slate the negatives of the click on it
 * @param impressionMaxAge impressions older than this (at the time of a positive) are dropped: what
 *     a user ignored days ago says little about the next step now
 * @param recentEventIds event ids remembered per user to drop redelivered events
 */
public record ExampleSettings(
    int maxUsers,
    int maxHistory,
    int maxNegatives,
    int maxPendingImpressions,
    Duration impressionHorizon,
    Duration impressionMaxAge,
    int recentEventIds) {

  public ExampleSettings {
    positive("maxUsers", maxUsers);
    if (maxHistory < 0) {
      throw new IllegalArgumentException(
          "maxHistory must be 0 (the model's maxLen) or more, was " + maxHistory);
    }
    if (maxNegatives < 0) {
      throw new IllegalArgumentException("maxNegatives must not be negative, was " + maxNegatives);
    }
    positive("maxPendingImpressions", maxPendingImpressions);
    positive("recentEventIds", recentEventIds);
    if (impressionHorizon == null || impressionHorizon.isNegative()) {
      throw new IllegalArgumentException(
          "impressionHorizon must be zero or more, was " + impressionHorizon);
    }
    if (impressionMaxAge == null || impressionMaxAge.compareTo(impressionHorizon) < 0) {
      throw new IllegalArgumentException(
          "impressionMaxAge must be at least impressionHorizon, was " + impressionMaxAge);
    }
  }

  /**
   * 100k users, SASRec's usual 50 items, 5 negatives out of the last 50 impressions, 30 s horizon,
   * 1 h age.
   */
  public static ExampleSettings defaults() {
    return new ExampleSettings(100_000, 50, 5, 50, Duration.ofSeconds(30), Duration.ofHours(1), 64);
  }

  /** These settings with maxHistory 0 resolved to the model's maxLen. */
  public ExampleSettings forModel(int modelMaxLen) {
    if (maxHistory > 0) return this;
    return new ExampleSettings(
        maxUsers,
        modelMaxLen,
        maxNegatives,
        maxPendingImpressions,
        impressionHorizon,
        impressionMaxAge,
        recentEventIds);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
  }
}
