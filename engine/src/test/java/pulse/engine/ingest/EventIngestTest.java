package pulse.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import pulse.engine.catalog.CategoryLookup;
import pulse.engine.event.EventContext;
import pulse.engine.event.EventType;
import pulse.engine.event.RecordedEvent;
import pulse.engine.event.UserEvent;
import pulse.engine.user.UserEntity;

class EventIngestTest {
  private final List<List<RecordedEvent>> recorded = new ArrayList<>();

  private final EventIngest.Recorder users =
      (userId, events) -> {
        recorded.add(events);
        return CompletableFuture.completedFuture(new UserEntity.Recorded(events.size(), 0));
      };

  private static UserEvent click(String id, String user, String item) {
    return new UserEvent(
        id, user, item, EventType.CLICK, 1_000L, null, new EventContext("web", null, null, null));
  }

  private static List<EventIngest.UserOutcome> ingest(EventIngest ingest, List<UserEvent> events)
      throws Exception {
    return ingest.ingest(events).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void eventsCarryTheirItemsCategories() throws Exception {
    CategoryLookup catalog =
        ids -> CompletableFuture.completedFuture(Map.of("i1", List.of("games", "puzzle")));
    var outcomes =
        ingest(
            new EventIngest(users, catalog),
            List.of(click("e1", "u1", "i1"), click("e2", "u2", "i9")));
    assertTrue(outcomes.stream().allMatch(EventIngest.UserOutcome::persisted));
    assertEquals(List.of("games", "puzzle"), recorded.get(0).get(0).categories());
    assertEquals(List.of(), recorded.get(1).get(0).categories(), "an unknown item has none");
  }

  @Test
  void anUnreadableCatalogRefusesTheBatchInsteadOfPersistingWithoutCategories() throws Exception {
    CategoryLookup down =
        ids -> CompletableFuture.failedFuture(new IllegalStateException("Cassandra is down"));
    var outcomes =
        ingest(
            new EventIngest(users, down),
            List.of(click("e1", "u1", "i1"), click("e2", "u2", "i2")));
    assertEquals(List.of(), recorded, "nothing persisted");
    assertEquals(2, outcomes.size(), "one outcome per user");
    for (EventIngest.UserOutcome o : outcomes) {
      assertFalse(o.persisted());
      assertTrue(o.failure().contains("item catalog could not be read"), o.failure());
      assertTrue(o.failure().contains("Cassandra is down"), o.failure());
    }
  }
}
