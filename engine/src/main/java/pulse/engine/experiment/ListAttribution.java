package pulse.engine.experiment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Turns the event stream (served lists and user actions, in arrival order) into one {@link
 * ListOutcome} per served list, so that online metrics per experiment variant can be computed
 * without storing the stream. A list stays open for its attribution window, {@code servedAt} to
 * {@code servedAt + window} inclusive; actions in that time are credited to it; when the window
 * closes the list is finished: handed to the consumer and forgotten.
 *
 * <p>What an action does to the user's open lists:
 *
 * <ul>
 *   <li>Next action: every open list served at or before the action's timestamp that has no next
 *       action yet takes this action's item's rank in the list (1-based; 0 when not in it) as its
 *       {@link ListOutcome#nextRank()}. Views, clicks, adds to cart, purchases and ratings count.
 *   <li>Attribution: only clicks, adds to cart and purchases are credited; views and ratings only
 *       set the next action. An action that names its list is credited to that list when it is open
 *       for this user, else dropped (the client's word beats a guess, and a list of another user or
 *       one already finished cannot earn it). An action that names no list is credited to the
 *       user's most recent open list served at or before the action that contains the item, else
 *       dropped. A click adds one to {@code clicks}, an add to cart sets {@code carted}, a purchase
 *       sets {@code purchased}. A shadow variant's list ({@link ServedList#shadow()}) was never
 *       shown: it takes the next action's rank and is never credited.
 * </ul>
 *
 * <p>Time is event time, never the wall clock, so replaying the topic gives the same outcomes.
 * Events of one user arrive in order, events of different users interleave, so there are two ways a
 * window closes: a user's own event at time t finishes that user's lists with {@code servedAt +
 * window < t} before the event is applied (safe, as nothing earlier of that user can still come);
 * and {@link #advanceTo} finishes every user's lists with {@code servedAt + window < watermark}.
 * The watermark is the maximum ever passed to {@link #advanceTo} and never goes back; the caller
 * should pass a time every user's stream has reached (the minimum over the partitions read, say),
 * since a list finished by the watermark cannot be credited with a lagging user's later actions.
 *
 * <p>A list id seen again (one list's impressions arrive as several events) is ignored after the
 * first, also for a while after the list finished: the ids of the last {@code maxUsers} finished
 * lists are remembered, so a late impression does not count the list twice.
 *
 * <p>Memory is bounded by {@code maxUsers}: when a new list makes more than {@code maxUsers} users
 * hold open lists, the user who has been quiet longest (least recent served list or action) has all
 * their lists finished early. An evicted list counts as finished with what it has earned so far,
 * like one whose window closed; that user's later actions find no open list and are dropped.
 *
 * <p>{@link #state} and {@link #restore} let the owner checkpoint all of this next to the offsets
 * of the events it has consumed, so that after a crash it can resume from those offsets with no
 * list lost or counted twice.
 *
 * <p>Not thread-safe: one owner (an actor) calls it, one event at a time. The consumer is called
 * synchronously from {@link #served}, {@link #action}, {@link #advanceTo} and {@link #finishAll},
 * after this object's state is consistent, and must not call back into it.
 */
public final class ListAttribution {

  private static final Set<String> NEXT_ACTION_TYPES =
      Set.of(
          UserAction.VIEW,
          UserAction.CLICK,
          UserAction.ADD_TO_CART,
          UserAction.PURCHASE,
          UserAction.RATING);

  /**
   * Everything an instance holds, as plain records, so that its owner can checkpoint it (to JSON,
   * say) next to the stream offsets it has read and, after a crash, {@link #restore} an instance
   * that goes on exactly as this one would have: no list lost, none finished twice, no late
   * impression counted again, the same list evicted next. Orders carry meaning, so they are kept as
   * list order rather than as maps.
   *
   * @param watermark the highest time passed to {@link #advanceTo}; {@link Long#MIN_VALUE} when
   *     none
   * @param open every open list, grouped by user: the user who has been quiet longest (the next to
   *     be evicted) first, each user's lists oldest first
   * @param recentlyFinished ids of recently finished lists, the one finished longest ago first (the
   *     next to be forgotten)
   */
  public record State(long watermark, List<OpenList> open, List<String> recentlyFinished) {

    public State {
      open = List.copyOf(open);
      recentlyFinished = List.copyOf(recentlyFinished);
    }
  }

  /**
   * One open list in a {@link State}: the list as served and what it has earned so far.
   *
   * @param served the list as first served
   * @param finishOrder this list's 0-based place among all open lists in the order the watermark
   *     finishes them (oldest {@code servedAt} first, ties in arrival order); needed because lists
   *     served at the same millisecond must still finish, and so reach the consumer, in the same
   *     order after a restore
   * @param clicks clicks credited so far
   * @param carted whether an add to cart was credited
   * @param purchased whether a purchase was credited
   * @param nextRank the rank of the user's next action's item, {@code null} while there is none
   */
  public record OpenList(
      ServedList served,
      int finishOrder,
      int clicks,
      boolean carted,
      boolean purchased,
      Integer nextRank) {

    public OpenList {
      Objects.requireNonNull(served, "served");
      if (finishOrder < 0 || clicks < 0 || (nextRank != null && nextRank < 0)) {
        throw new IllegalArgumentException(
            "finishOrder, clicks and nextRank must not be negative, were "
                + finishOrder
                + ", "
                + clicks
                + " and "
                + nextRank);
      }
    }
  }

  /** A served list while its window is open, with what it has earned so far. */
  private static final class Tally {
    final ServedList served;
    final long sequence;
    int clicks;
    boolean carted;
    boolean purchased;
    Integer nextRank;

    Tally(ServedList served, long sequence) {
      this.served = served;
      this.sequence = sequence;
    }

    ListOutcome outcome() {
      return new ListOutcome(
          served.experiment(),
          served.variant(),
          served.items().size(),
          clicks > 0,
          clicks,
          carted,
          purchased,
          nextRank,
          served.fallback(),
          served.tookMs());
    }
  }

  private static final Comparator<Tally> BY_SERVED_AT =
      Comparator.<Tally>comparingLong(l -> l.served.servedAt()).thenComparingLong(l -> l.sequence);

  private final long windowMillis;
  private final int maxUsers;
  private final Consumer<ListOutcome> finished;

  /** Every open list, oldest first: what {@link #advanceTo} finishes from the front. */
  private final TreeSet<Tally> openByServedAt = new TreeSet<>(BY_SERVED_AT);

  private final Map<String, Tally> openById = new HashMap<>();

  /**
   * Users with open lists, each with their lists oldest first; in access order, so the first entry
   * is the user who has been quiet longest.
   */
  private final LinkedHashMap<String, List<Tally>> openByUser =
      new LinkedHashMap<>(16, 0.75f, true);

  /** Ids of recently finished lists, so their late impressions are still ignored. */
  private final LinkedHashMap<String, Boolean> recentlyFinishedIds;

  private long watermark = Long.MIN_VALUE;
  private long nextSequence;

  /**
   * @param window how long after serving a list can earn actions (inclusive)
   * @param maxUsers the most users that may hold open lists at once
   * @param finished receives every list once it is finished
   */
  public ListAttribution(Duration window, int maxUsers, Consumer<ListOutcome> finished) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("attribution window must be positive, was " + window);
    }
    if (maxUsers < 1) {
      throw new IllegalArgumentException("maxUsers must be at least 1, was " + maxUsers);
    }
    this.windowMillis = window.toMillis();
    this.maxUsers = maxUsers;
    this.finished = Objects.requireNonNull(finished, "finished");
    this.recentlyFinishedIds =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > maxUsers;
          }
        };
  }

  /**
   * A list served to a user. The first event of a list id opens it; later events with the same id
   * (more impressions of the same list) are ignored.
   */
  public void served(ServedList list) {
    closeExpiredOf(list.userId(), list.servedAt());
    if (openById.containsKey(list.listId()) || recentlyFinishedIds.containsKey(list.listId())) {
      return;
    }
    var open = new Tally(list, nextSequence++);
    openById.put(list.listId(), open);
    openByServedAt.add(open);
    var lists = openByUser.computeIfAbsent(list.userId(), u -> new ArrayList<>(2));
    insertByServedAt(lists, open);
    evictQuietestUsersBeyondBound();
  }

  /** A user's action: sets the next action of their open lists and credits one of them. */
  public void action(UserAction a) {
    closeExpiredOf(a.userId(), a.timestamp());
    var lists = openByUser.get(a.userId());
    if (lists == null || !NEXT_ACTION_TYPES.contains(a.type())) {
      return;
    }
    for (var open : lists) {
      if (open.nextRank == null && open.served.servedAt() <= a.timestamp()) {
        open.nextRank = open.served.rankOf(a.itemId());
      }
    }
    if (!isAttributed(a.type())) {
      return;
    }
    var credited = a.listId() != null ? namedOpenList(a) : mostRecentContaining(lists, a);
    if (credited == null) {
      return;
    }
    switch (a.type()) {
      case UserAction.CLICK -> credited.clicks++;
      case UserAction.ADD_TO_CART -> credited.carted = true;
      case UserAction.PURCHASE -> credited.purchased = true;
      default -> throw new IllegalStateException("not an attributed type: " + a.type());
    }
  }

  /**
   * Moves the watermark to {@code eventTimeMillis} (or keeps it, if it was already later) and
   * finishes every open list with {@code servedAt + window < watermark}, oldest first.
   */
  public void advanceTo(long eventTimeMillis) {
    watermark = Math.max(watermark, eventTimeMillis);
    while (!openByServedAt.isEmpty() && isExpired(openByServedAt.first(), watermark)) {
      var open = openByServedAt.pollFirst();
      var lists = openByUser.get(open.served.userId());
      lists.remove(open);
      if (lists.isEmpty()) {
        openByUser.remove(open.served.userId());
      }
      forget(open);
      finished.accept(open.outcome());
    }
  }

  /** Finishes every open list, oldest first: at shutdown, and in tests. */
  public void finishAll() {
    while (!openByServedAt.isEmpty()) {
      var open = openByServedAt.pollFirst();
      forget(open);
      finished.accept(open.outcome());
    }
    openByUser.clear();
  }

  /**
   * A snapshot of everything this instance holds, for its owner to checkpoint together with the
   * stream position it has consumed up to; {@link #restore} turns it back into an instance. Nothing
   * in it changes as this instance goes on.
   */
  public State state() {
    var finishOrder = new IdentityHashMap<Tally, Integer>();
    for (var open : openByServedAt) {
      finishOrder.put(open, finishOrder.size());
    }
    var open = new ArrayList<OpenList>(openByServedAt.size());
    // Iterating an access-ordered map does not reorder it; only get and put do.
    for (var lists : openByUser.values()) {
      for (var t : lists) {
        open.add(
            new OpenList(
                t.served, finishOrder.get(t), t.clicks, t.carted, t.purchased, t.nextRank));
      }
    }
    return new State(watermark, open, List.copyOf(recentlyFinishedIds.keySet()));
  }

  /**
   * An instance in exactly the state that {@link #state} captured, so that feeding it the events
   * after that snapshot finishes the same lists with the same outcomes, in the same order, as the
   * instance the snapshot was taken from; lists finished before the snapshot are not finished
   * again. Nothing is handed to {@code finished} here. {@code window} and {@code maxUsers} should
   * be those of the snapshotted instance: with a smaller {@code maxUsers} only the most recently
   * finished ids are remembered, and the user bound is enforced when the next new list arrives.
   *
   * @throws IllegalArgumentException when {@code state} is not one {@link #state} could have
   *     returned (a list id twice, a user's lists not together or not oldest first, finish orders
   *     not 0 to n - 1), since going on from a damaged checkpoint would silently miscount
   */
  public static ListAttribution restore(
      State state, Duration window, int maxUsers, Consumer<ListOutcome> finished) {
    var a = new ListAttribution(window, maxUsers, finished);
    int n = state.open().size();
    var orderTaken = new boolean[n];
    String previousUser = null;
    for (var o : state.open()) {
      var served = o.served();
      if (o.finishOrder() >= n || orderTaken[o.finishOrder()]) {
        throw new IllegalArgumentException(
            "finishOrder " + o.finishOrder() + " of list " + served.listId() + " is not free");
      }
      orderTaken[o.finishOrder()] = true;
      var t = new Tally(served, o.finishOrder());
      t.clicks = o.clicks();
      t.carted = o.carted();
      t.purchased = o.purchased();
      t.nextRank = o.nextRank();
      if (a.openById.put(served.listId(), t) != null) {
        throw new IllegalArgumentException("list " + served.listId() + " is open twice");
      }
      a.openByServedAt.add(t);
      var lists = a.openByUser.get(served.userId());
      if (lists == null) {
        lists = new ArrayList<>(2);
        a.openByUser.put(served.userId(), lists);
      } else if (!served.userId().equals(previousUser)) {
        throw new IllegalArgumentException(
            "lists of user " + served.userId() + " are not together");
      } else if (BY_SERVED_AT.compare(lists.get(lists.size() - 1), t) > 0) {
        throw new IllegalArgumentException(
            "lists of user " + served.userId() + " are not oldest first");
      }
      lists.add(t);
      previousUser = served.userId();
    }
    a.nextSequence = n;
    a.watermark = state.watermark();
    for (var id : state.recentlyFinished()) {
      if (a.openById.containsKey(id)) {
        throw new IllegalArgumentException("list " + id + " is both open and finished");
      }
      a.recentlyFinishedIds.put(id, Boolean.TRUE);
    }
    return a;
  }

  /** How many lists are open now. */
  public int openLists() {
    return openByServedAt.size();
  }

  private static boolean isAttributed(String type) {
    return type.equals(UserAction.CLICK)
        || type.equals(UserAction.ADD_TO_CART)
        || type.equals(UserAction.PURCHASE);
  }

  private boolean isExpired(Tally open, long eventTimeMillis) {
    return open.served.servedAt() + windowMillis < eventTimeMillis;
  }

  private Tally namedOpenList(UserAction a) {
    var named = openById.get(a.listId());
    return named != null && named.served.userId().equals(a.userId()) && !named.served.shadow()
        ? named
        : null;
  }

  private static Tally mostRecentContaining(List<Tally> oldestFirst, UserAction a) {
    for (int i = oldestFirst.size() - 1; i >= 0; i--) {
      var open = oldestFirst.get(i);
      if (open.served.servedAt() <= a.timestamp()
          && !open.served.shadow()
          && open.served.items().contains(a.itemId())) {
        return open;
      }
    }
    return null;
  }

  private static void insertByServedAt(List<Tally> oldestFirst, Tally open) {
    int at = oldestFirst.size();
    while (at > 0 && BY_SERVED_AT.compare(oldestFirst.get(at - 1), open) > 0) {
      at--;
    }
    oldestFirst.add(at, open);
  }

  /** Finishes the user's lists whose window closed before {@code eventTimeMillis}. */
  private void closeExpiredOf(String userId, long eventTimeMillis) {
    var lists = openByUser.get(userId);
    if (lists == null) {
      return;
    }
    var expired = new ArrayList<Tally>(0);
    for (Iterator<Tally> it = lists.iterator(); it.hasNext(); ) {
      var open = it.next();
      if (isExpired(open, eventTimeMillis)) {
        it.remove();
        openByServedAt.remove(open);
        forget(open);
        expired.add(open);
      }
    }
    if (lists.isEmpty()) {
      openByUser.remove(userId);
    }
    expired.forEach(open -> finished.accept(open.outcome()));
  }

  private void evictQuietestUsersBeyondBound() {
    while (openByUser.size() > maxUsers) {
      var quietest = openByUser.entrySet().iterator().next();
      openByUser.remove(quietest.getKey());
      for (var open : quietest.getValue()) {
        openByServedAt.remove(open);
        forget(open);
      }
      quietest.getValue().forEach(open -> finished.accept(open.outcome()));
    }
  }

  private void forget(Tally open) {
    openById.remove(open.served.listId());
    recentlyFinishedIds.put(open.served.listId(), Boolean.TRUE);
  }
}
