package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import pulse.engine.event.EventType;

/**
 * One non-empty time bucket of a count window, for snapshots.
 *
 * @param bucket bucket index: event time divided (floor) by the bucket width
 * @param counts events per type in the bucket; types with no events are absent
 */
public record BucketSnapshot(
    @JsonProperty("bucket") long bucket, @JsonProperty("counts") Map<EventType, Integer> counts) {

  @JsonCreator
  public BucketSnapshot {
    counts = Map.copyOf(counts);
  }
}
