package pulse.engine.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * A sliding count window kept as a ring of {@code length / bucket} time buckets. The bucket width
 * is the precision: at query time the oldest bucket may already be partly outside the window, so
 * the effective window is between {@code length - bucket} and {@code length} long (exact when "now"
 * is bucket-aligned).
 *
 * @param name the key used in the feature view ("5m", "1h", ...)
 */
public record WindowSpec(
    @JsonProperty("name") String name,
    @JsonProperty("length") Duration length,
    @JsonProperty("bucket") Duration bucket) {

  @JsonCreator
  public WindowSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a window needs a name");
    }
    if (bucket.toMillis() <= 0
        || length.toMillis() <= 0
        || length.toMillis() % bucket.toMillis() != 0) {
      throw new IllegalArgumentException(
          "window "
              + name
              + ": length "
              + length
              + " must be a positive multiple of the bucket width "
              + bucket);
    }
  }

  public static WindowSpec of(String name, Duration length, Duration bucket) {
    return new WindowSpec(name, length, bucket);
  }

  int bucketCount() {
    return (int) (length.toMillis() / bucket.toMillis());
  }
}
