package pulse.engine.event;

import com.typesafe.config.Config;
import java.util.Set;

/**
 * The journal tags under which user actors file the events they persist, for the feedback outbox to
 * read back and publish: {@code count} tags, a user always in the same one (so its events keep
 * their order), each read by one projection somewhere in the cluster. {@code count} 0: no tags (no
 * reader: learning and the experiment analyst off). The count is fixed for a deployment's life: a
 * user whose tag changed would have its events published by two projections, in no defined order
 * between them.
 */
public record OutboxTags(int count) {
  public static final OutboxTags NONE = new OutboxTags(0);
  private static final String PREFIX = "feedback-";

  public OutboxTags {
    if (count < 0 || count > 1024) {
      throw new IllegalArgumentException("outbox tags must be 0..1024, not " + count);
    }
  }

  /** {@code pulse.feedback.outbox}: its tags when the outbox is on, else none. */
  public static OutboxTags from(Config config) {
    Config outbox = config.getConfig("pulse.feedback.outbox");
    boolean read =
        config.getBoolean("pulse.learning.enabled")
            || config.getBoolean("pulse.experiments.analyst.enabled");
    return outbox.getBoolean("enabled") && read ? new OutboxTags(outbox.getInt("tags")) : NONE;
  }

  /** The tags a persisted event of {@code userId} carries: one, or none without an outbox. */
  public Set<String> of(String userId) {
    return count == 0 ? Set.of() : Set.of(tag(Math.floorMod(userId.hashCode(), count)));
  }

  public String tag(int index) {
    return PREFIX + index;
  }
}
