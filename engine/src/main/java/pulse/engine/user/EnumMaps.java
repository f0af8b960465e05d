package pulse.engine.user;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import pulse.engine.event.EventType;

/** Immutable maps keyed by event type that keep declaration order, so JSON output is stable. */
final class EnumMaps {

  private EnumMaps() {}

  static <V> Map<EventType, V> immutableCopy(Map<EventType, V> map) {
    EnumMap<EventType, V> copy = new EnumMap<>(EventType.class);
    copy.putAll(map);
    return Collections.unmodifiableMap(copy);
  }

  static Map<EventType, Long> fromCounts(long[] byOrdinal) {
    EnumMap<EventType, Long> map = new EnumMap<>(EventType.class);
    for (EventType t : EventType.values()) {
      map.put(t, byOrdinal[t.ordinal()]);
    }
    return Collections.unmodifiableMap(map);
  }
}
