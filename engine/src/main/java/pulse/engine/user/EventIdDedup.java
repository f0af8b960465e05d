package pulse.engine.user;

import java.util.ArrayList;
import java.util.List;

/**
 * Remembers recent event ids (as {@link EventIdHash}es) so a redelivered or retried event is
 * applied once. Bounded by count and by age, where age is measured on the user's event-time
 * watermark (latest event time seen) rather than a wall clock: the aggregate is pure and replays
 * must give the same answer. The watermark only grows, so ids sit in a FIFO ring in insertion order
 * and both bounds evict from its oldest end.
 */
final class EventIdDedup {

  private static final int INITIAL_RING = 16;

  private final int maxIds;
  private final long maxAgeMillis;
  private final LongHashSet members = new LongHashSet();
  // FIFO ring of (hash, watermark when first seen); grows on demand up to maxIds.
  private long[] hashes = new long[0];
  private long[] watermarks = new long[0];
  private int head;
  private int count;

  EventIdDedup(int maxIds, long maxAgeMillis) {
    this.maxIds = maxIds;
    this.maxAgeMillis = maxAgeMillis;
  }

  /** True (and remembered) if the id was not seen within the bounds; false for a duplicate. */
  boolean firstSeen(String eventId, long watermark) {
    long hash = EventIdHash.of(eventId);
    if (members.contains(hash)) {
      return false;
    }
    evictOlderThan(watermark - maxAgeMillis);
    if (count == maxIds) {
      evictOldest();
    }
    push(hash, watermark);
    return true;
  }

  boolean contains(String eventId) {
    return members.contains(EventIdHash.of(eventId));
  }

  int size() {
    return count;
  }

  private void evictOlderThan(long oldestKept) {
    while (count > 0 && watermarks[head] < oldestKept) {
      evictOldest();
    }
  }

  private void evictOldest() {
    members.remove(hashes[head]);
    head = (head + 1) % hashes.length;
    count--;
  }

  private void push(long hash, long watermark) {
    if (count == hashes.length) {
      grow();
    }
    int tail = (head + count) % hashes.length;
    hashes[tail] = hash;
    watermarks[tail] = watermark;
    count++;
    members.add(hash);
  }

  private void grow() {
    int capacity = Math.min(maxIds, Math.max(INITIAL_RING, hashes.length * 2));
    long[] h = new long[capacity];
    long[] w = new long[capacity];
    for (int i = 0; i < count; i++) {
      int from = (head + i) % hashes.length;
      h[i] = hashes[from];
      w[i] = watermarks[from];
    }
    hashes = h;
    watermarks = w;
    head = 0;
  }

  List<SeenEventId> toSnapshot() {
    List<SeenEventId> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int at = (head + i) % hashes.length;
      out.add(new SeenEventId(hashes[at], watermarks[at]));
    }
    return out;
  }

  static EventIdDedup restore(int maxIds, long maxAgeMillis, List<SeenEventId> snapshot) {
    EventIdDedup d = new EventIdDedup(maxIds, maxAgeMillis);
    for (SeenEventId s : snapshot) {
      if (d.count == maxIds) {
        d.evictOldest();
      }
      d.push(s.idHash(), s.seenAtWatermark());
    }
    return d;
  }
}
