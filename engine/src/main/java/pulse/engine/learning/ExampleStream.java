package pulse.engine.learning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import pulse.engine.feedback.FeedbackEvent;

/**
 * Turns the persisted event stream into next-item training examples for SASRec, one event at a
 * time.
 *
 * <p>Each interaction (view, click, add_to_cart, purchase, rating) is the positive next item of the
 * user's sequence before it. No example is made when that sequence is empty (nothing to predict
 * from) or when the item repeats the last one: view, click and add-to-cart of one item are one
 * step, not three, or the model would learn that the next item is usually the current one.
 * Impressions the user left alone for {@link ExampleSettings#impressionHorizon()} become negatives
 * of the user's next positive; an interaction with an impressed item, before that, takes it off the
 * list.
 *
 * <p>Events are taken in arrival order (the journal's order per user); timestamps only time
 * impressions. Redelivered events (same event id, seen recently for that user) are dropped. Events
 * without a user, id or item where one is needed, searches and unknown types make no example: a
 * type added later must not stop learning.
 *
 * <p>Memory is bounded: at most {@link ExampleSettings#maxUsers()} users (least recently active
 * forgotten) with bounded history, impressions and ids each. Not thread-safe: one actor owns it.
 */
public final class ExampleStream {
  private static final Set<String> POSITIVE =
      Set.of("view", "click", "add_to_cart", "purchase", "rating");
  private static final String IMPRESSION = "impression";

  private final ExampleSettings settings;
  private final long horizonMillis;
  private final long maxAgeMillis;
  private final LinkedHashMap<String, UserSequence> users;
  private long examples;
  private long duplicates;
  private long ignored;
  private long evictedUsers;

  public ExampleStream(ExampleSettings settings) {
    this.settings = settings;
    this.horizonMillis = settings.impressionHorizon().toMillis();
    this.maxAgeMillis = settings.impressionMaxAge().toMillis();
    this.users =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, UserSequence> eldest) {
            boolean evict = size() > settings.maxUsers();
            if (evict) {
              evictedUsers++;
            }
            return evict;
          }
        };
  }

  /** The example this event completes, if any. */
  public Optional<Example> accept(FeedbackEvent event) {
    // Set.of refuses null lookups, and an event without a type is merely ignorable.
    boolean positive = event.type() != null && POSITIVE.contains(event.type());
    boolean impression = IMPRESSION.equals(event.type());
    if ((!positive && !impression)
        || blank(event.userId())
        || blank(event.eventId())
        || blank(event.itemId())) {
      ignored++;
      return Optional.empty();
    }
    UserSequence user = users.computeIfAbsent(event.userId(), id -> new UserSequence());
    if (!user.firstSeen(event.eventId(), settings.recentEventIds())) {
      duplicates++;
      return Optional.empty();
    }
    String item = event.itemId();
    if (impression) {
      user.shown(item, event.timestamp(), settings.maxPendingImpressions());
      return Optional.empty();
    }
    user.interacted(item);
    if (!user.hasHistory()) {
      user.append(item, settings.maxHistory());
      return Optional.empty();
    }
    if (item.equals(user.lastItem())) {
      return Optional.empty();
    }
    Example example =
        new Example(
            event.userId(),
            user.history(),
            item,
            user.takeNegatives(
                event.timestamp(), horizonMillis, maxAgeMillis, settings.maxNegatives()),
            event.eventId());
    user.append(item, settings.maxHistory());
    examples++;
    return Optional.of(example);
  }

  /**
   * Gives a user the learner does not know the history rebuilt from the user's own state ({@link
   * HistoryRebuild}), oldest first, as {@link #accept} would have built it: an item repeating the
   * last one is one step, and at most {@code max-history} items are kept. A known user is left as
   * is: what the learner holds is newer than what it was asked for.
   */
  public void seed(String userId, List<String> items) {
    if (blank(userId) || users.containsKey(userId)) {
      return;
    }
    UserSequence user = new UserSequence();
    for (String item : items) {
      if (!item.equals(user.lastItem())) {
        user.append(item, settings.maxHistory());
      }
    }
    users.put(userId, user);
  }

  /** Drops everything held of a forgotten user (its history, its pending impressions). */
  public boolean forget(String userId) {
    return users.remove(userId) != null;
  }

  /** Whether the learner takes events of this type as interactions (positives). */
  static boolean isPositive(String type) {
    return type != null && POSITIVE.contains(type);
  }

  /** Users whose state is held now. */
  public int users() {
    return users.size();
  }

  public long examples() {
    return examples;
  }

  public long duplicates() {
    return duplicates;
  }

  /** Events that could make no example: searches, unknown types, missing user, id or item. */
  public long ignored() {
    return ignored;
  }

  public long evictedUsers() {
    return evictedUsers;
  }

  /**
   * Whether the user's state is held; unlike an event, asking does not make the user recently
   * active.
   */
  public boolean knows(String userId) {
    return users.containsKey(userId);
  }

  /**
   * Pending impressions of one user (tests, diagnostics); 0 for an unknown user. Counts as activity
   * for the LRU.
   */
  int pendingImpressions(String userId) {
    UserSequence user = users.get(userId);
    return user == null ? 0 : user.pendingCount();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
