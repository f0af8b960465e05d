package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The latest session as stored in a snapshot; items sorted. */
public record SessionState(
    @JsonProperty("start") long start,
    @JsonProperty("last") long last,
    @JsonProperty("events") long events,
    @JsonProperty("items") List<String> items) {

  @JsonCreator
  public SessionState {
    items = List.copyOf(items);
  }
}
