package pulse.engine.learning;

import akka.actor.typed.ActorSystem;
import akka.kafka.ProducerSettings;
import akka.kafka.javadsl.SendProducer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulse.engine.user.UserEntity;

/**
 * Puts every event a user actor persisted (from HTTP, from Kafka, and the impressions of served lists) on the
 * feedback topic, keyed by user, for the online learner. Only persisted events go out, so the learner never
 * learns from an event the node did not accept; a send that fails is logged and the event is not learned from
 * (the model misses one example, the user's data misses nothing). Redelivered duplicates are dropped by the
 * learner by eventId.
 */
public final class FeedbackPublisher {
  private static final Logger log = LoggerFactory.getLogger(FeedbackPublisher.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SendProducer<String, byte[]> producer;
  private final String topic;

  private FeedbackPublisher(SendProducer<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  public static FeedbackPublisher create(ActorSystem<?> system, String topic) {
    ProducerSettings<String, byte[]> settings =
        ProducerSettings.create(system, new StringSerializer(), new ByteArraySerializer());
    return new FeedbackPublisher(new SendProducer<>(settings, system), topic);
  }

  public void publish(List<UserEntity.IncomingEvent> events) {
    for (UserEntity.IncomingEvent in : events) {
      try {
        byte[] value = JSON.writeValueAsBytes(wire(in));
        producer.send(new ProducerRecord<>(topic, in.event().userId(), value)).whenComplete((meta, failure) -> {
          if (failure != null) {
            log.warn("feedback for event {} not sent to {}: {}", in.event().eventId(), topic, failure.toString());
          }
        });
      } catch (Exception e) {
        log.warn("feedback for event {} not sent: {}", in.event().eventId(), e.toString());
      }
    }
  }

  /** The wire form: the event's own fields, plus the item's categories as the catalog had them at ingest. */
  static Map<String, Object> wire(UserEntity.IncomingEvent in) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("eventId", in.event().eventId());
    m.put("userId", in.event().userId());
    if (in.event().itemId() != null) {
      m.put("itemId", in.event().itemId());
    }
    m.put("type", in.event().type().wireName());
    m.put("timestamp", in.event().timestamp());
    m.put("categories", in.categories());
    m.put("acceptedAt", System.currentTimeMillis()); // persisted just now: the start of the update latency
    return m;
  }

  public void close() {
    producer.close();
  }
}
