package pulse.engine.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where an event happened. Every field is optional (null when absent); query is required for a
 * search.
 *
 * <p>The served-list fields tie an event to a recommendation answer. {@code listId}: the answer's
 * {@code listId}; a client may send it on a click, cart or purchase so the experiment metrics
 * credit the list that earned it. The rest are written by Pulse on the impressions of a served list
 * only (a client cannot send them): {@code experiment} and {@code variant} the user was served by
 * (no experiment for a QA request that forced its variant), {@code servedBy} the model version or
 * "trending", {@code tookMs} the answer's latency.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventContext(
    @JsonProperty("device") String device,
    @JsonProperty("page") String page,
    @JsonProperty("query") String query,
    @JsonProperty("locale") String locale,
    @JsonProperty("listId") String listId,
    @JsonProperty("experiment") String experiment,
    @JsonProperty("variant") String variant,
    @JsonProperty("servedBy") String servedBy,
    @JsonProperty("tookMs") Double tookMs) {

  @JsonCreator
  public EventContext {}

  /** A client's context: no served-list fields. */
  public EventContext(String device, String page, String query, String locale) {
    this(device, page, query, locale, null, null, null, null, null);
  }

  /** A client's context naming the list its event came from. */
  public EventContext withListId(String id) {
    return new EventContext(device, page, query, locale, id, null, null, null, null);
  }
}
