package pulse.engine.learning;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One user's state inside {@link ExampleStream}: recent items, impressions waiting to become
 * negatives, ids seen.
 */
final class UserSequence {
  private final ArrayDeque<String> history = new ArrayDeque<>();
  // item -> when it was last shown; insertion order is showing order because a re-shown item is
  // moved to the end.
  private final LinkedHashMap<String, Long> pending = new LinkedHashMap<>();
  private final LinkedHashSet<String> recentIds = new LinkedHashSet<>();

  /**
   * False when the id was seen recently: a redelivered event must not become a second training
   * step.
   */
  boolean firstSeen(String eventId, int maxIds) {
    if (!recentIds.add(eventId)) {
      return false;
    }
    if (recentIds.size() > maxIds) {
      Iterator<String> oldest = recentIds.iterator();
      oldest.next();
      oldest.remove();
    }
    return true;
  }

  void shown(String item, long at, int maxPending) {
    pending.remove(item);
    pending.put(item, at);
    if (pending.size() > maxPending) {
      Iterator<Map.Entry<String, Long>> oldest = pending.entrySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** The user acted on the item: whenever it was shown, it was not ignored. */
  void interacted(String item) {
    pending.remove(item);
  }

  boolean hasHistory() {
    return !history.isEmpty();
  }

  String lastItem() {
    return history.peekLast();
  }

  List<String> history() {
    return List.copyOf(history);
  }

  void append(String item, int maxHistory) {
    history.addLast(item);
    while (history.size() > maxHistory) {
      history.removeFirst();
    }
  }

  /**
   * Impressions at least {@code horizon} old at {@code now} and at most {@code maxAge} old, the
   * newest {@code max} of them, newest first. Every impression that was due leaves the pending set,
   * used or not, so the next positive gets fresh negatives instead of this one's leftovers;
   * impressions past {@code maxAge} are dropped; those still inside the horizon wait.
   */
  List<String> takeNegatives(long now, long horizon, long maxAge, int max) {
    List<String> due = new ArrayList<>();
    Iterator<Map.Entry<String, Long>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Long> e = it.next();
      long age = now - e.getValue();
      if (age > maxAge) {
        it.remove();
      } else if (age >= horizon) {
        due.add(e.getKey());
        it.remove();
      }
    }
    List<String> negatives = new ArrayList<>(Math.min(max, due.size()));
    for (int i = due.size() - 1; i >= 0 && negatives.size() < max; i--) {
      negatives.add(due.get(i));
    }
    return negatives;
  }

  int pendingCount() {
    return pending.size();
  }
}
