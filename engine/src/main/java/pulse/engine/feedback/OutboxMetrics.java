package pulse.engine.feedback;

import java.util.concurrent.atomic.AtomicLong;
import pulse.engine.metrics.Counter;
import pulse.engine.metrics.Metrics;

/**
 * The feedback outbox on /metrics: records published, records whose group failed (they are sent
 * again from the journal), and how far behind the journal the outbox is.
 */
public final class OutboxMetrics {
  private final Counter published;
  private final Counter failed;
  private final AtomicLong newestPublishedPersistedAt = new AtomicLong();
  private final AtomicLong lastPublishAt = new AtomicLong();

  public OutboxMetrics(Metrics registry) {
    published =
        registry.counter(
            "pulse_feedback_published_total",
            "Feedback records this node's outbox published (at least once: repeats after a"
                + " restart count again).");
    failed =
        registry.counter(
            "pulse_feedback_publish_failures_total",
            "Feedback records in groups Kafka did not acknowledge; each is sent again from the"
                + " journal.");
    registry.gauge(
        "pulse_feedback_outbox_delay_seconds",
        "Between the persist and the publish of the newest event this node's outbox published.",
        () -> {
          long persisted = newestPublishedPersistedAt.get();
          return persisted == 0 ? 0 : Math.max(0, lastPublishAt.get() - persisted) / 1000.0;
        });
  }

  void published(int records, long newestPersistedAt) {
    published.inc(records);
    newestPublishedPersistedAt.set(newestPersistedAt);
    lastPublishAt.set(System.currentTimeMillis());
  }

  void failed(int records) {
    failed.inc(records);
  }
}
