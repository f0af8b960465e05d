package pulse.engine.feedback;

import java.util.List;

/**
 * One record of the feedback topic as the learner reads it: where it is (for resuming), the event,
 * the item's categories at ingest (to initialise a new item's embedding) and when the node accepted
 * it (update latency). {@code wire} is the whole record as published, for readers that need more
 * than the learner (the experiment analyst reads the served-list fields); null in records built
 * without one.
 */
public record FeedRecord(
    int partition,
    long offset,
    FeedbackEvent event,
    List<String> categories,
    long acceptedAt,
    FeedbackWire wire) {
  public FeedRecord {
    categories = categories == null ? List.of() : List.copyOf(categories);
  }

  public FeedRecord(
      int partition, long offset, FeedbackEvent event, List<String> categories, long acceptedAt) {
    this(partition, offset, event, categories, acceptedAt, null);
  }
}
