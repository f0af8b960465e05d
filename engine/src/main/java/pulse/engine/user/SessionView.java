package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The session in progress at the view's time.
 *
 * @param start event time of its first event
 * @param lastEventAt event time of its latest event
 * @param events events in the session (its length)
 * @param distinctItems distinct item ids among them (searches have none)
 * @param durationMillis lastEventAt - start
 */
public record SessionView(
    @JsonProperty("start") long start,
    @JsonProperty("lastEventAt") long lastEventAt,
    @JsonProperty("events") long events,
    @JsonProperty("distinctItems") int distinctItems,
    @JsonProperty("durationMillis") long durationMillis) {

  @JsonCreator
  public SessionView {}
}
