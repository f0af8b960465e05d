package pulse.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import pulse.engine.event.EventContext;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;
import pulse.engine.user.FeatureSettings;
import pulse.engine.user.FeatureView;
import pulse.engine.user.UserFeatures;

/** Realistic valid events for integration tests, their JSON, and the features they must produce. */
final class TestEvents {
  private static final EventType[] TYPES = {
    EventType.VIEW,
    EventType.VIEW,
    EventType.VIEW,
    EventType.CLICK,
    EventType.CLICK,
    EventType.IMPRESSION,
    EventType.ADD_TO_CART,
    EventType.PURCHASE,
    EventType.RATING
  };

  private TestEvents() {}

  /**
   * {@code count} events over {@code users} users, timestamps increasing per user and ending before
   * {@code now}.
   */
  static List<UserEvent> generate(String prefix, int users, int count, long now, long seed) {
    Random random = new Random(seed);
    List<UserEvent> out = new ArrayList<>(count);
    long start = now - 50 * 60_000L; // within the last hour: every window sees them
    for (int i = 0; i < count; i++) {
      String user = prefix + "-u" + random.nextInt(users);
      EventType type = TYPES[random.nextInt(TYPES.length)];
      Double value =
          switch (type) {
            case VIEW -> (double) (500 + random.nextInt(20_000));
            case RATING -> (double) (1 + random.nextInt(5));
            case PURCHASE, ADD_TO_CART -> 9.99 + random.nextInt(50);
            default -> null;
          };
      long at = start + (long) i * (50 * 60_000L) / count;
      out.add(
          new UserEvent(
              prefix + "-e" + i,
              user,
              "item-" + random.nextInt(300),
              type,
              at,
              value,
              new EventContext(random.nextBoolean() ? "mobile" : "desktop", null, null, null)));
    }
    return out;
  }

  static ObjectNode json(UserEvent e) {
    ObjectNode n = JsonSupport.MAPPER.createObjectNode();
    n.put("eventId", e.eventId());
    n.put("userId", e.userId());
    n.put("itemId", e.itemId());
    n.put("type", e.type().wireName());
    n.put("timestamp", e.timestamp());
    if (e.value() != null) {
      n.put("value", e.value());
    }
    if (e.context() != null && e.context().device() != null) {
      n.putObject("context").put("device", e.context().device());
    }
    return n;
  }

  static String jsonArray(List<UserEvent> events) {
    ArrayNode a = JsonSupport.MAPPER.createArrayNode();
    events.forEach(e -> a.add(json(e)));
    return a.toString();
  }

  /**
   * The oracle: the same events through the unit-tested feature math, in the same per-user order.
   */
  static FeatureView expected(List<UserEvent> eventsOfOneUser, long at) {
    UserFeatures f = new UserFeatures(FeatureSettings.defaults());
    eventsOfOneUser.forEach(e -> f.apply(e, List.of()));
    return f.view(at);
  }
}
