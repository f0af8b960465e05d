package pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.engine.user.Events.DAY;
import static pulse.engine.user.Events.T0;

import java.util.LinkedHashMap;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventIdDedupTest {

  private static final long PINNED_HASH_OF_EVT_42 =
      1920323897880062146L; // recorded from the first release of EventIdHash

  @Test
  void aRepeatedIdIsADuplicate() {
    EventIdDedup d = new EventIdDedup(10, 7 * DAY);
    assertTrue(d.firstSeen("a", T0));
    assertFalse(d.firstSeen("a", T0));
    assertFalse(d.firstSeen("a", T0 + DAY));
    assertEquals(1, d.size());
  }

  @Test
  void theOldestIdIsForgottenBeyondTheCount() {
    EventIdDedup d = new EventIdDedup(3, 7 * DAY);
    d.firstSeen("a", T0);
    d.firstSeen("b", T0);
    d.firstSeen("c", T0);
    assertTrue(d.firstSeen("d", T0));
    assertEquals(3, d.size());
    assertFalse(d.contains("a"));
    assertFalse(d.firstSeen("b", T0));
    assertTrue(d.firstSeen("a", T0), "evicted id counts as new again");
    assertFalse(d.contains("b"));
  }

  @Test
  void idsOlderThanTheMaxAgeAreForgottenAndTheEdgeIsKept() {
    EventIdDedup d = new EventIdDedup(100, 7 * DAY);
    d.firstSeen("a", T0);
    d.firstSeen("b", T0 + 1);
    d.firstSeen("c", T0 + 7 * DAY); // a is exactly 7 days old: kept
    assertTrue(d.contains("a"));
    d.firstSeen("d", T0 + 7 * DAY + 1); // a is now older than 7 days, b exactly 7 days
    assertFalse(d.contains("a"));
    assertTrue(d.contains("b"));
    assertEquals(3, d.size());
  }

  @Test
  void agreesWithAReferenceModelUnderRandomTraffic() {
    Random random = new Random(5);
    int maxIds = 500;
    long maxAge = 7 * DAY;
    EventIdDedup dedup = new EventIdDedup(maxIds, maxAge);
    LinkedHashMap<String, Long> model = new LinkedHashMap<>();
    long watermark = T0;
    for (int step = 0; step < 50_000; step++) {
      watermark += random.nextInt((int) (DAY / 50));
      String id = "id-" + random.nextInt(2_000);
      boolean expectedNew = !model.containsKey(id);
      if (expectedNew) {
        long oldestKept = watermark - maxAge;
        model.values().removeIf(w -> w < oldestKept);
        if (model.size() == maxIds) {
          model.remove(model.keySet().iterator().next());
        }
        model.put(id, watermark);
      }
      assertEquals(expectedNew, dedup.firstSeen(id, watermark), "step " + step);
      assertEquals(model.size(), dedup.size());
    }
    EventIdDedup restored = EventIdDedup.restore(maxIds, maxAge, dedup.toSnapshot());
    for (int i = 0; i < 2_000; i++) {
      assertEquals(model.containsKey("id-" + i), restored.contains("id-" + i));
    }
  }

  @Test
  void idHashesAreStableAcrossVersionsBecauseSnapshotsStoreThem() {
    assertEquals(EventIdHash.of("evt-42"), EventIdHash.of(new String("evt-42".toCharArray())));
    assertEquals(PINNED_HASH_OF_EVT_42, EventIdHash.of("evt-42"));
    assertNotEquals(EventIdHash.of("evt-42"), EventIdHash.of("evt-24"));
  }

  @Test
  void snapshotRoundTripKeepsOrderAndWatermarks() {
    EventIdDedup d = new EventIdDedup(2, DAY);
    d.firstSeen("x", T0);
    d.firstSeen("y", T0 + 5);
    EventIdDedup restored = EventIdDedup.restore(2, DAY, d.toSnapshot());
    assertEquals(d.toSnapshot(), restored.toSnapshot());
    restored.firstSeen("z", T0 + 6);
    assertFalse(restored.contains("x"));
  }
}
