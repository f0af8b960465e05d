package pulse.engine.feedback;

import akka.actor.typed.ActorSystem;
import akka.kafka.ProducerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.engine.event.RecordedEvent;

/**
 * Puts every event a user actor persisted (from HTTP, from Kafka, and the impressions of served
 * lists) on the feedback topic, keyed by user, for the online learner. Only persisted events go
 * out, so the learner never learns from an event the node did not accept; a send that fails is
 * logged and the event is not learned from (the model misses one example, the user's data misses
 * nothing). Redelivered duplicates are dropped by the learner by eventId.
 *
 * <p>A user's events reach the topic in the order they were persisted, because the learner makes
 * its examples in topic order. So every send goes through one thread, in the order {@link #publish}
 * was called: Alpakka's {@code SendProducer} hands each send to a dispatcher thread of its own, and
 * two sends of one call could reach the Kafka producer swapped (the bench's learner saw users'
 * ratings out of order). The thread also keeps the Kafka producer's blocking (metadata, a full
 * buffer) off the threads that persist events.
 */
public final class FeedbackPublisher {
  private static final Logger log = LoggerFactory.getLogger(FeedbackPublisher.class);

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "pulse-feedback-sender");
            t.setDaemon(true);
            return t;
          });

  private FeedbackPublisher(Producer<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  public static FeedbackPublisher create(ActorSystem<?> system, String topic) {
    ProducerSettings<String, byte[]> settings =
        ProducerSettings.create(system, new StringSerializer(), new ByteArraySerializer());
    FeedbackPublisher publisher = new FeedbackPublisher(settings.createKafkaProducer(), topic);
    system.getWhenTerminated().thenRun(publisher::close);
    return publisher;
  }

  public void publish(List<RecordedEvent> events) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
    for (RecordedEvent in : events) {
      try {
        // Persisted just now: acceptedAt starts the update latency.
        records.add(
            new ProducerRecord<>(
                topic,
                in.event().userId(),
                FeedbackWire.of(in, System.currentTimeMillis()).toBytes()));
      } catch (Exception e) {
        log.warn("feedback for event {} not sent: {}", in.event().eventId(), e.toString());
      }
    }
    try {
      sender.execute(() -> records.forEach(this::send));
    } catch (RejectedExecutionException e) {
      log.warn("feedback for {} events not sent: the publisher is closed", records.size());
    }
  }

  private void send(ProducerRecord<String, byte[]> record) {
    try {
      producer.send(
          record,
          (meta, failure) -> {
            if (failure != null) {
              log.warn(
                  "feedback record for user {} not sent to {}: {}",
                  record.key(),
                  topic,
                  failure.toString());
            }
          });
    } catch (RuntimeException e) {
      log.warn("feedback record for user {} not sent to {}: {}", record.key(), topic, e.toString());
    }
  }

  /** Sends what was published before, then closes the producer. */
  public void close() {
    sender.shutdown();
    try {
      sender.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
  }
}
