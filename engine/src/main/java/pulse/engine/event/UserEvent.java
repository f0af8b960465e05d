package pulse.engine.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One validated user event: persisted as an Akka event and sent between nodes with Jackson CBOR.
 * Instances built by {@link EventParser} satisfy every ingest rule; the record itself does not
 * re-check them so that replaying old journals never fails on a rule that changed later.
 *
 * @param eventId client-chosen id, unique per user; duplicates are ignored by the feature aggregate
 * @param itemId null for a search, present for every other type
 * @param timestamp event time, epoch millis UTC
 * @param value rating 1..5 for rating, price for purchase/add_to_cart, dwell millis for view; else
 *     null
 * @param context null when the client sent none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserEvent(
    @JsonProperty("eventId") String eventId,
    @JsonProperty("userId") String userId,
    @JsonProperty("itemId") String itemId,
    @JsonProperty("type") EventType type,
    @JsonProperty("timestamp") long timestamp,
    @JsonProperty("value") Double value,
    @JsonProperty("context") EventContext context) {

  @JsonCreator
  public UserEvent {}

  /** The device from the context, or null. */
  public String device() {
    return context == null ? null : context.device();
  }
}
