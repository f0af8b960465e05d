package pulse.engine.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of a user's recent sequence, the model's input.
 *
 * @param itemId null only for a search (when searches are configured into the sequence)
 * @param timestamp event time, epoch millis
 * @param categories the item's catalog categories when the event was applied (never null)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Interaction(
    @JsonProperty("itemId") String itemId,
    @JsonProperty("type") EventType type,
    @JsonProperty("timestamp") long timestamp,
    @JsonProperty("categories") List<String> categories) {

  @JsonCreator
  public Interaction {
    // List.copyOf returns an already-immutable list as is, so catalog lists are shared, not copied.
    categories = categories == null ? List.of() : List.copyOf(categories);
  }
}
