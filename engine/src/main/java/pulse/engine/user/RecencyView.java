package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Milliseconds from the latest event (of any type, click, purchase) to the view's time; null when
 * the user has none. An event stamped after the view's time (allowed clock skew) counts as 0, never
 * negative.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecencyView(
    @JsonProperty("sinceLastEventMillis") Long sinceLastEventMillis,
    @JsonProperty("sinceLastClickMillis") Long sinceLastClickMillis,
    @JsonProperty("sinceLastPurchaseMillis") Long sinceLastPurchaseMillis) {

  @JsonCreator
  public RecencyView {}
}
