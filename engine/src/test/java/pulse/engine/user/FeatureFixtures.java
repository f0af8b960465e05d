package pulse.engine.user;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import pulse.engine.event.EventContext;
import pulse.engine.event.EventType;
import pulse.engine.event.UserEvent;

/** Deterministic pseudo-random event histories exercising every feature, for round-trip tests. */
final class FeatureFixtures {

  private static final String[] DEVICES = {"ios", "android", "web", null};
  private static final List<List<String>> CATEGORIES =
      List.of(
          List.of("jazz"),
          List.of("rock", "live"),
          List.of("pop"),
          List.of(),
          List.of("jazz", "vinyl"));

  private FeatureFixtures() {}

  static List<UserEvent> mixedHistory(int n, long seed) {
    return mixedHistory(n, seed, Events.T0);
  }

  /** Mostly increasing times with jitter (some out of order, some late) and ~5% redelivered ids. */
  static List<UserEvent> mixedHistory(int n, long seed, long start) {
    Random random = new Random(seed);
    List<UserEvent> out = new ArrayList<>(n);
    long t = start;
    EventType[] types = EventType.values();
    for (int i = 0; i < n; i++) {
      t += random.nextInt((int) (20 * Events.MINUTE));
      long eventTime = random.nextInt(10) == 0 ? t - random.nextInt((int) (3 * Events.HOUR)) : t;
      if (i > 0 && random.nextInt(20) == 0) {
        out.add(out.get(random.nextInt(out.size())));
        continue;
      }
      EventType type = types[random.nextInt(types.length)];
      String item = type == EventType.SEARCH ? null : "item-" + random.nextInt(30);
      Double value =
          switch (type) {
            case RATING -> 1.0 + random.nextInt(5);
            case VIEW, PURCHASE -> random.nextInt(3) == 0 ? null : random.nextDouble() * 1000;
            default -> null;
          };
      String device = DEVICES[random.nextInt(DEVICES.length)];
      EventContext context =
          type == EventType.SEARCH
              ? new EventContext(device, null, "q" + i, "en")
              : device == null ? null : new EventContext(device, "home", null, null);
      out.add(new UserEvent("s" + seed + "-" + i, "u1", item, type, eventTime, value, context));
    }
    return out;
  }

  static List<String> categoriesOf(String itemId) {
    return itemId == null
        ? List.of()
        : CATEGORIES.get(Math.floorMod(itemId.hashCode(), CATEGORIES.size()));
  }

  static long lastTime(List<UserEvent> events) {
    return events.stream().mapToLong(UserEvent::timestamp).max().orElseThrow();
  }
}
