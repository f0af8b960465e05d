package pulse.engine.user;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import pulse.engine.event.EventType;

/**
 * Event counts per type for one sliding window, as a ring of time buckets addressed by {@code
 * floorDiv(eventTime, bucketWidth)}. At query time {@code now} the window holds the buckets {@code
 * (nowBucket - n, nowBucket]}: the bucket containing now and the n-1 before it. A bucket index that
 * lands on a slot holding a newer bucket is older than any window ending after that bucket, so it
 * is dropped.
 */
final class BucketRing {

  private static final int TYPES = EventType.values().length;
  private static final long EMPTY = Long.MIN_VALUE;

  private final WindowSpec spec;
  private final long width;
  private final int n;
  // Allocated on first use: most users never fill most windows and heap per resident user matters.
  private long[] bucketIds;
  private int[] counts;

  BucketRing(WindowSpec spec) {
    this.spec = spec;
    this.width = spec.bucket().toMillis();
    this.n = spec.bucketCount();
  }

  WindowSpec spec() {
    return spec;
  }

  void add(EventType type, long eventTime) {
    add(Math.floorDiv(eventTime, width), type.ordinal(), 1);
  }

  private void add(long bucket, int typeOrdinal, int count) {
    if (bucketIds == null) {
      bucketIds = new long[n];
      Arrays.fill(bucketIds, EMPTY);
      counts = new int[n * TYPES];
    }
    int slot = (int) Math.floorMod(bucket, (long) n);
    long held = bucketIds[slot];
    if (held != bucket) {
      if (held != EMPTY && held > bucket) {
        return;
      }
      bucketIds[slot] = bucket;
      Arrays.fill(counts, slot * TYPES, slot * TYPES + TYPES, 0);
    }
    counts[slot * TYPES + typeOrdinal] += count;
  }

  /** Adds this window's counts at {@code now} into {@code into}, indexed by type ordinal. */
  void countAt(long now, long[] into) {
    if (bucketIds == null) {
      return;
    }
    long newest = Math.floorDiv(now, width);
    long oldestExcluded = newest - n;
    for (int slot = 0; slot < n; slot++) {
      long b = bucketIds[slot];
      if (b != EMPTY && b > oldestExcluded && b <= newest) {
        int base = slot * TYPES;
        for (int t = 0; t < TYPES; t++) {
          into[t] += counts[base + t];
        }
      }
    }
  }

  WindowSnapshot toSnapshot() {
    List<BucketSnapshot> buckets = new ArrayList<>();
    if (bucketIds != null) {
      for (int slot = 0; slot < n; slot++) {
        if (bucketIds[slot] == EMPTY) {
          continue;
        }
        Map<EventType, Integer> byType = new EnumMap<>(EventType.class);
        for (EventType t : EventType.values()) {
          int c = counts[slot * TYPES + t.ordinal()];
          if (c != 0) {
            byType.put(t, c);
          }
        }
        buckets.add(new BucketSnapshot(bucketIds[slot], byType));
      }
    }
    buckets.sort((a, b) -> Long.compare(a.bucket(), b.bucket()));
    return new WindowSnapshot(spec.name(), buckets);
  }

  static BucketRing restore(WindowSpec spec, WindowSnapshot snapshot) {
    BucketRing ring = new BucketRing(spec);
    for (BucketSnapshot b : snapshot.buckets()) {
      ring.touch(b.bucket());
      for (Map.Entry<EventType, Integer> e : b.counts().entrySet()) {
        ring.add(b.bucket(), e.getKey().ordinal(), e.getValue());
      }
    }
    return ring;
  }

  // A bucket can be held with all-zero counts only if restored so; keep it so the round trip is
  // exact.
  private void touch(long bucket) {
    add(bucket, 0, 0);
  }
}
