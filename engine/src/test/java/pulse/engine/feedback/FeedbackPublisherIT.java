package pulse.engine.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.kafka.ConsumerSettings;
import akka.kafka.Subscriptions;
import akka.kafka.javadsl.Consumer;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.engine.event.EventType;
import pulse.engine.event.RecordedEvent;
import pulse.engine.event.UserEvent;
import pulse.infra.TopicSpec;
import pulse.infra.Topics;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * The feedback topic against the real broker: a user's events arrive in the order they were
 * published, which is the order the learner turns them into examples (with Alpakka's SendProducer,
 * sends of one call could swap).
 */
@ExtendWith(RealInfraExtension.class)
class FeedbackPublisherIT {
  private static final int USERS = 5;
  private static final int ROUNDS = 40;
  private static final int PER_CALL = 10;
  private static ActorTestKit testKit;
  private static RealInfra infra;

  @BeforeAll
  static void start(RealInfra realInfra) {
    infra = realInfra;
    testKit = ActorTestKit.create("feedback-it", infra.testNodeConfig(ConfigFactory.empty()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void eachUsersEventsArriveInTheOrderTheyWerePublished() throws Exception {
    String topic = "feedback-order-" + UUID.randomUUID();
    Topics.ensure(
        infra.kafkaBootstrapServers(), List.of(new TopicSpec(topic, 2, (short) 1, Map.of())));
    FeedbackPublisher publisher = FeedbackPublisher.create(testKit.system(), topic);
    List<List<String>> sent = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      sent.add(new ArrayList<>());
    }
    long t = 1_700_000_000_000L;
    for (int round = 0; round < ROUNDS; round++) {
      for (int u = 0; u < USERS; u++) {
        List<RecordedEvent> call = new ArrayList<>();
        for (int i = 0; i < PER_CALL; i++) {
          String id = "u" + u + "-" + sent.get(u).size();
          sent.get(u).add(id);
          call.add(
              new RecordedEvent(
                  new UserEvent(id, "u" + u, "item-" + i, EventType.CLICK, t++, null, null),
                  List.of("c")));
        }
        publisher.publish(call);
      }
    }
    publisher.close(); // sends everything published first

    int total = USERS * ROUNDS * PER_CALL;
    ConsumerSettings<String, byte[]> consumer =
        ConsumerSettings.create(
                testKit.system(), new StringDeserializer(), new ByteArrayDeserializer())
            .withGroupId("feedback-order-" + UUID.randomUUID())
            .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> received =
        Consumer.plainSource(consumer, Subscriptions.topics(topic))
            .take(total)
            .runWith(Sink.seq(), testKit.system())
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    assertEquals(total, received.size());
    ObjectMapper json = new ObjectMapper();
    for (int u = 0; u < USERS; u++) {
      List<String> got = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> r : received) {
        if (r.key().equals("u" + u)) {
          got.add(json.readTree(r.value()).get("eventId").asText());
        }
      }
      assertEquals(sent.get(u), got, "user u" + u + "'s events in the order they were published");
    }
  }
}
