package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The non-empty buckets of one count window, oldest first, for snapshots. */
public record WindowSnapshot(
    @JsonProperty("window") String window, @JsonProperty("buckets") List<BucketSnapshot> buckets) {

  @JsonCreator
  public WindowSnapshot {
    buckets = List.copyOf(buckets);
  }
}
