package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A remembered event id and the user's event-time watermark when it was first seen. */
public record SeenEventId(
        @JsonProperty("eventId") String eventId,
        @JsonProperty("seenAtWatermark") long seenAtWatermark) {

    @JsonCreator
    public SeenEventId {
    }
}
