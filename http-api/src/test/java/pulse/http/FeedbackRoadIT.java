package pulse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pulse.infra.LocalInfra;
import pulse.infra.junit.RealInfra;
import pulse.infra.junit.RealInfraExtension;

/**
 * Every event the journal holds reaches the feedback topic once per persist, whichever way its
 * acknowledgement went. The case that used to lose one: Cassandra stalls, the HTTP ask times out
 * (503) while the write is still under way, the write then lands, and the client's redelivery of
 * the same eventId is a duplicate that persists nothing. The event was in the journal but was never
 * published, because only the asker's success published.
 */
@ExtendWith(RealInfraExtension.class)
class FeedbackRoadIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FEEDBACK_TOPIC = "pulse-feedback";
  private static PulseNode node;
  private static TestClient client;
  private static RealInfra infra;

  @BeforeAll
  static void start(RealInfra realInfra) throws Exception {
    infra = realInfra;
    // A short ask, so a stall of Cassandra shorter than the driver's request timeout (5 s) outlasts
    // it.
    node =
        PulseNode.start(
            infra.testNodeConfig(ConfigFactory.parseString("pulse.user.ask-timeout = 1s")));
    client = TestClient.of(node.httpPort());
    client.awaitReady(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.awaitStopped(Duration.ofSeconds(60));
    }
  }

  @Test
  void anEventWhoseAskTimedOutIsPublishedOnceAndItsRedeliveryNotAgain() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String user = "road-" + run;
    String item = "road-item-" + run;
    // The item's catalog lookup is cached before the stall, so the stall hits the user's journal,
    // not the catalog.
    deliver(event("warm-" + run, "warm-" + user, item));

    String eventId = "ev-" + run;
    ProcessHandle cassandra =
        new LocalInfra(infra.settings(), false, line -> {})
            .cassandra()
            .orElseThrow(() -> new AssertionError("the test Cassandra is not running"));
    TestClient.Response first;
    signal("STOP", cassandra);
    try {
      first = post(event(eventId, user, item));
    } finally {
      signal("CONT", cassandra);
    }
    assertEquals(
        503, first.status(), "the ask should time out while Cassandra stalls: " + first.body());

    // The write lands after the stall; the client redelivers, as a client told 503 does.
    awaitFeatures(user);
    TestClient.Response again = deliver(event(eventId, user, item));
    assertEquals(1, JSON.readTree(again.body()).path("duplicates").asInt(), again.body());

    // A later event of the same user marks how far the topic must have been read.
    String marker = "marker-" + run;
    deliver(event(marker, user, item));
    List<String> published = feedbackEventIdsOf(user, marker);
    assertEquals(List.of(eventId, marker), published, "feedback records of " + user);
  }

  private static String event(String eventId, String user, String item) {
    return "[{\"eventId\":\""
        + eventId
        + "\",\"userId\":\""
        + user
        + "\",\"itemId\":\""
        + item
        + "\",\"type\":\"click\",\"timestamp\":"
        + System.currentTimeMillis()
        + "}]";
  }

  private static TestClient.Response post(String body) throws Exception {
    return client.post("/v1/events", body);
  }

  /**
   * Posts until accepted, as a client told 503 redelivers: with a 1 s ask, a slow box's first write
   * of a fresh entity, or the first writes after the stall, can outlast the ask on their own.
   */
  private static TestClient.Response deliver(String body) throws Exception {
    TestClient.Response answer = client.deliverEvents(body, Duration.ofSeconds(30));
    assertEquals(202, answer.status(), answer.body());
    return answer;
  }

  private static void signal(String signal, ProcessHandle process) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " " + process.pid());
  }

  private static void awaitFeatures(String user) throws Exception {
    TestClient.await(
        "the stalled event of " + user + " to be persisted",
        Duration.ofSeconds(30),
        Duration.ofMillis(200),
        () -> client.get("/v1/users/" + user + "/features"),
        r -> r.status() == 200);
  }

  /**
   * The eventIds of {@code user}'s feedback records, in topic order, read until {@code lastEventId}
   * shows up.
   */
  private static List<String> feedbackEventIdsOf(String user, String lastEventId) throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "feedback-road-" + UUID.randomUUID());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<String> ids = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(FEEDBACK_TOPIC).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!ids.contains(lastEventId)) {
        assertTrue(
            System.nanoTime() < deadline,
            "feedback for " + user + " up to " + lastEventId + ": " + ids);
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          JsonNode n = JSON.readTree(r.value());
          if (user.equals(n.path("userId").asText())) {
            ids.add(n.path("eventId").asText());
          }
        }
      }
    }
    return ids;
  }
}
