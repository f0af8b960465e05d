package pulse.engine.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A catalog item. Categories feed the per-category affinity features; the rest is carried for
 * rankers.
 *
 * @param title null when absent
 * @param categories never null, no blanks, no duplicates, in the order the client sent them
 * @param brand null when absent
 * @param price null when absent
 * @param attributes never null; scalar values kept as text
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Item(
    @JsonProperty("itemId") String itemId,
    @JsonProperty("title") String title,
    @JsonProperty("categories") List<String> categories,
    @JsonProperty("brand") String brand,
    @JsonProperty("price") Double price,
    @JsonProperty("available") boolean available,
    @JsonProperty("attributes") Map<String, String> attributes) {

  @JsonCreator
  public Item {
    categories = categories == null ? List.of() : List.copyOf(categories);
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}
