package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import pulse.engine.event.EventType;

/**
 * Events per type in one sliding window at the view's time; every type is present (0 when none).
 */
public record WindowCount(
    @JsonProperty("window") String window,
    @JsonProperty("lengthMillis") long lengthMillis,
    @JsonProperty("counts") Map<EventType, Long> counts) {

  @JsonCreator
  public WindowCount {
    counts = EnumMaps.immutableCopy(counts);
  }

  public long count(EventType type) {
    return counts.getOrDefault(type, 0L);
  }
}
