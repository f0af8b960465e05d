package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A category's decayed affinity at the view's time: the sum over the user's events on items of this
 * category of {@code weight(type) * 2^(-(now - eventTime) / halfLife)}, for the short and the long
 * half-life.
 */
public record CategoryAffinity(
    @JsonProperty("category") String category,
    @JsonProperty("shortTerm") double shortTerm,
    @JsonProperty("longTerm") double longTerm) {

  @JsonCreator
  public CategoryAffinity {}
}
