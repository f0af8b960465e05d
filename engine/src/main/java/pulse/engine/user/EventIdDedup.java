package pulse.engine.user;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers recent event ids so a redelivered or retried event is applied once. Bounded by count and by age,
 * where age is measured on the user's event-time watermark (latest event time seen) rather than a wall
 * clock: the aggregate is pure and replays must give the same answer. The watermark only grows, so ids are
 * stored in insertion order and both bounds evict from the oldest end.
 */
final class EventIdDedup {

    private final int maxIds;
    private final long maxAgeMillis;
    // Insertion-ordered: id -> watermark when first seen.
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    EventIdDedup(int maxIds, long maxAgeMillis) {
        this.maxIds = maxIds;
        this.maxAgeMillis = maxAgeMillis;
    }

    /** True (and remembered) if the id was not seen within the bounds; false for a duplicate. */
    boolean firstSeen(String eventId, long watermark) {
        if (seen.containsKey(eventId)) {
            return false;
        }
        seen.put(eventId, watermark);
        evict(watermark);
        return true;
    }

    boolean contains(String eventId) {
        return seen.containsKey(eventId);
    }

    int size() {
        return seen.size();
    }

    private void evict(long watermark) {
        long oldestKept = watermark - maxAgeMillis;
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Long> e = it.next();
            if (seen.size() > maxIds || e.getValue() < oldestKept) {
                it.remove();
            } else {
                return;
            }
        }
    }

    List<SeenEventId> toSnapshot() {
        List<SeenEventId> out = new ArrayList<>(seen.size());
        seen.forEach((id, w) -> out.add(new SeenEventId(id, w)));
        return out;
    }

    static EventIdDedup restore(int maxIds, long maxAgeMillis, List<SeenEventId> snapshot) {
        EventIdDedup d = new EventIdDedup(maxIds, maxAgeMillis);
        for (SeenEventId s : snapshot) {
            d.seen.put(s.eventId(), s.seenAtWatermark());
        }
        return d;
    }
}
