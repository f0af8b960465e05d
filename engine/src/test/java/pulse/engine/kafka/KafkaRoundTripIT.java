package pulse.engine.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.kafka.ConsumerSettings;
import akka.kafka.ProducerSettings;
import akka.kafka.Subscriptions;
import akka.kafka.javadsl.Consumer;
import akka.kafka.javadsl.Producer;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.infra.TopicSpec;
import pulse.infra.Topics;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/** Produces and consumes records through the real broker with the node's Alpakka Kafka settings. */
@ExtendWith(RealInfraExtension.class)
class KafkaRoundTripIT {
  private static ActorTestKit testKit;
  private static RealInfra infra;

  @BeforeAll
  static void start(RealInfra realInfra) {
    infra = realInfra;
    testKit = ActorTestKit.create("kafka-it", infra.testNodeConfig(ConfigFactory.empty()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void recordsProducedAreConsumedInOrderPerPartition() throws Exception {
    String topic = "round-trip-" + UUID.randomUUID();
    Topics.ensure(
        infra.kafkaBootstrapServers(), List.of(new TopicSpec(topic, 3, (short) 1, Map.of())));
    var system = testKit.system();
    assertEquals(
        infra.kafkaBootstrapServers(),
        system
            .settings()
            .config()
            .getString("akka.kafka.producer.kafka-clients.bootstrap.servers"));

    List<String> sent = IntStream.range(0, 300).mapToObj(i -> "user-" + (i % 7) + ":" + i).toList();
    ProducerSettings<String, String> producer =
        ProducerSettings.create(system, new StringSerializer(), new StringSerializer());
    Source.from(sent)
        .map(v -> new ProducerRecord<>(topic, v.substring(0, v.indexOf(':')), v))
        .runWith(Producer.plainSink(producer), system)
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);

    ConsumerSettings<String, String> consumer =
        ConsumerSettings.create(system, new StringDeserializer(), new StringDeserializer())
            .withGroupId("round-trip-" + UUID.randomUUID())
            .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> received =
        Consumer.plainSource(consumer, Subscriptions.topics(topic))
            .take(sent.size())
            .runWith(Sink.seq(), system)
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);

    assertEquals(sent.size(), received.size());
    // Same key -> same partition -> the order it was sent in.
    for (int u = 0; u < 7; u++) {
      String key = "user-" + u;
      List<String> sentForKey = sent.stream().filter(v -> v.startsWith(key + ":")).toList();
      List<String> receivedForKey =
          received.stream().filter(r -> r.key().equals(key)).map(ConsumerRecord::value).toList();
      assertEquals(sentForKey, receivedForKey, key);
    }
  }
}
