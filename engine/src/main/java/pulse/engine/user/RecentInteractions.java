package pulse.engine.user;

import java.util.ArrayList;
import java.util.List;
import pulse.engine.event.Interaction;

/**
 * The last N interactions by event time, oldest first. Out-of-order events are inserted at their
 * place in time; an event older than everything in a full sequence is not kept. Equal timestamps
 * keep arrival order.
 */
final class RecentInteractions {

  private final int capacity;
  // Sorted by timestamp. N is small (200) so shifting on insert/evict costs less than a fancier
  // structure.
  private final ArrayList<Interaction> items;

  RecentInteractions(int capacity) {
    this.capacity = capacity;
    this.items = new ArrayList<>();
  }

  void add(Interaction interaction) {
    long t = interaction.timestamp();
    int size = items.size();
    if (size == capacity && t < items.get(0).timestamp()) {
      return;
    }
    if (size == 0 || items.get(size - 1).timestamp() <= t) {
      items.add(interaction);
    } else {
      items.add(insertionPoint(t), interaction);
    }
    if (items.size() > capacity) {
      items.remove(0);
    }
  }

  /** First index whose timestamp is greater than t, so equal timestamps stay in arrival order. */
  private int insertionPoint(long t) {
    int lo = 0;
    int hi = items.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (items.get(mid).timestamp() <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  List<Interaction> toList() {
    return List.copyOf(items);
  }

  static RecentInteractions restore(int capacity, List<Interaction> snapshot) {
    RecentInteractions r = new RecentInteractions(capacity);
    r.items.addAll(snapshot);
    return r;
  }
}
