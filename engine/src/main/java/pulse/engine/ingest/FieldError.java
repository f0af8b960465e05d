package pulse.engine.ingest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why one field of an input was rejected. {@code field} is a JSON-pointer-like path relative to the
 * object being validated ("eventId", "context.query", "categories[2]"); "$" means the whole input.
 */
public record FieldError(
    @JsonProperty("field") String field, @JsonProperty("reason") String reason) {

  public static final String WHOLE_INPUT = "$";

  @JsonCreator
  public FieldError {}
}
