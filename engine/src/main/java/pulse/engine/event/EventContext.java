package pulse.engine.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where an event happened. Every field is optional (null when absent); query is required for a
 * search.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventContext(
    @JsonProperty("device") String device,
    @JsonProperty("page") String page,
    @JsonProperty("query") String query,
    @JsonProperty("locale") String locale) {

  @JsonCreator
  public EventContext {}
}
