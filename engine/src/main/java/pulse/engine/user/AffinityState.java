package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A category's decayed scores as stored: both are valid at {@code referenceTime} and decay from
 * there. Keeping the reference per category makes an update O(1) instead of rescaling every
 * category.
 */
public record AffinityState(
    @JsonProperty("shortTerm") double shortTerm,
    @JsonProperty("longTerm") double longTerm,
    @JsonProperty("referenceTime") long referenceTime) {

  @JsonCreator
  public AffinityState {}
}
