package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A remembered event id, as its {@link EventIdHash}, and the user's watermark when it was first
 * seen.
 */
public record SeenEventId(
    @JsonProperty("idHash") long idHash, @JsonProperty("seenAtWatermark") long seenAtWatermark) {

  @JsonCreator
  public SeenEventId {}
}
