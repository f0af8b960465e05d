package pulse.engine.feedback;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The feedback outbox on /metrics: records published, records whose group failed (they are sent
 * again from the journal), and how far behind the journal the outbox is.
 */
public final class OutboxMetrics {
  private final Counter published;
  private final Counter failed;
  private final AtomicLong newestPublishedPersistedAt = new AtomicLong();
  private final AtomicLong lastPublishAt = new AtomicLong();

  public OutboxMetrics(MeterRegistry registry) {
    published =
        Counter.builder("pulse_feedback_published")
            .description(
                "Feedback records this node's outbox published (at least once: repeats after a"
                    + " restart count again).")
            .register(registry);
    failed =
        Counter.builder("pulse_feedback_publish_failures")
            .description(
                "Feedback records in groups Kafka did not acknowledge; each is sent again from the"
                    + " journal.")
            .register(registry);
    Gauge.builder("pulse_feedback_outbox_delay_seconds", this, OutboxMetrics::delaySeconds)
        .description(
            "Between the persist and the publish of the newest event this node's outbox"
                + " published.")
        .register(registry);
  }

  private double delaySeconds() {
    long persisted = newestPublishedPersistedAt.get();
    return persisted == 0 ? 0 : Math.max(0, lastPublishAt.get() - persisted) / 1000.0;
  }

  void published(int records, long newestPersistedAt) {
    published.increment(records);
    newestPublishedPersistedAt.set(newestPersistedAt);
    lastPublishAt.set(System.currentTimeMillis());
  }

  void failed(int records) {
    failed.increment(records);
  }
}
