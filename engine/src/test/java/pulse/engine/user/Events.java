package pulse.engine.user;

import java.time.Instant;
import pulse.engine.event.EventContext;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;

/** Terse event construction for feature tests. */
final class Events {

  /** Midnight UTC: aligned to every default bucket width, so window edges are exact. */
  static final long T0 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

  static final long SECOND = 1_000L;
  static final long MINUTE = 60 * SECOND;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;

  private static int next;

  private Events() {}

  static UserEvent event(EventType type, long t) {
    return event("e" + (next++), type, "item-1", t);
  }

  static UserEvent event(String eventId, EventType type, String itemId, long t) {
    return new UserEvent(
        eventId, "u1", type == EventType.SEARCH ? null : itemId, type, t, null, null);
  }

  static UserEvent view(String itemId, long t, double dwellMillis, String device) {
    return new UserEvent(
        "e" + (next++),
        "u1",
        itemId,
        EventType.VIEW,
        t,
        dwellMillis,
        new EventContext(device, null, null, null));
  }
}
