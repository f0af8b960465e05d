package pulse.engine.feedback;

import java.util.List;

/**
 * One record of the feedback topic as the learner reads it: where it is (for resuming), the event,
 * the item's categories at ingest (to initialise a new item's embedding) and when the node accepted
 * it (update latency).
 */
public record FeedRecord(
    int partition, long offset, FeedbackEvent event, List<String> categories, long acceptedAt) {
  public FeedRecord {
    categories = categories == null ? List.of() : List.copyOf(categories);
  }
}
